import type { NextFunction, Request, Response } from 'express';
import { PublicError } from '../errors/public-error.js';
import { validationErrorBody } from '../errors/validation-error-body.js';
import { syncErrorOf, toWireError, trpcErrorShape } from '../errors/wire-error.js';

/**
 * Express's one error handler: every REST failure (thrown by a route, a body reader, the auth or
 * the rate limit) is answered here, through toWireError. Unknown errors are logged with their
 * stack (server side only); a 422 takes py-ISPyB's FastAPI shape, naming `query` when the route
 * said its input came from the query string (res.locals.inputIn); under /trpc, tRPC's envelope.
 */
export function errorMiddleware() {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const wire = toWireError(error, res.locals.requestId);
    // a SyncError was logged where it happened (the sync service), with its cause
    if (wire.body.code === 'INTERNAL' && !syncErrorOf(error))
      res.locals.log?.error({ err: error }, 'unhandled error');
    if (wire.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    if (wire.retryAfter !== undefined) res.setHeader('Retry-After', String(wire.retryAfter));
    if (req.originalUrl.startsWith('/trpc/')) {
      // failed before tRPC ran (body reader, rate limit): answered in tRPC's own error envelope
      res.status(wire.status).json({ error: trpcErrorShape(wire) });
      return;
    }
    if (wire.status === 422 && wire.body.errors) {
      res.status(422).json(validationErrorBody(wire.body.errors, res.locals.inputIn ?? 'body'));
      return;
    }
    res.status(wire.status).json(wire.body);
  };
}

/** Unknown routes: JSON, like FastAPI's `{"detail":"Not Found"}`. */
export function notFound(_req: Request, _res: Response, next: NextFunction): void {
  next(new PublicError('NOT_FOUND', 'Not Found'));
}
