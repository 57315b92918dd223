import type { NextFunction, Request, Response } from 'express';

/**
 * While the process drains before it stops (serve.ts, after SIGTERM), every response asks its
 * client to close the connection: keep-alive clients reconnect — through the load balancer, to
 * another replica — instead of sending their next request on a connection about to be closed.
 */
export function drainMode(stopping: AbortSignal) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (stopping.aborted) res.setHeader('Connection', 'close');
    next();
  };
}
