import type { NextFunction, Request, Response } from 'express';

/**
 * Gives each request an AbortSignal (res.locals.signal) that aborts when the request's deadline
 * passes or the client goes away before the answer. Work checks it between units (a batch
 * between items); a sync already in its transaction is never cut: it commits or rolls back whole.
 */
export function requestSignal(deadlineMs: number) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const controller = new AbortController();
    res.locals.signal = controller.signal;
    const timer = setTimeout(() => {
      controller.abort(new Error(`the request's deadline of ${deadlineMs} ms passed`));
      res.locals.log?.warn({ deadlineMs }, 'request deadline passed: no further sync starts');
    }, deadlineMs);
    timer.unref();
    res.on('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished && !controller.signal.aborted) {
        controller.abort(new Error('the client closed the connection'));
        res.locals.log?.warn('client closed the connection: no further sync starts');
      }
    });
    next();
  };
}
