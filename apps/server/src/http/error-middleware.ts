import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { NextFunction, Request, Response } from 'express';
import { PublicError } from '../errors/public-error.js';
import { SyncFailure } from '../errors/sync-failure.js';
import { toWireError, validationErrorBody } from '../errors/wire-error.js';

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
    // a SyncFailure was logged where it happened (sync-service), with its cause
    const logged =
      error instanceof SyncFailure || (error as { cause?: unknown } | null)?.cause instanceof SyncFailure;
    if (wire.body.code === 'INTERNAL' && !logged) res.locals.log?.error({ err: error }, 'unhandled error');
    if (wire.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    if (wire.retryAfter !== undefined) res.setHeader('Retry-After', String(wire.retryAfter));
    if (req.originalUrl.startsWith('/trpc/')) {
      // failed before tRPC ran (body reader, rate limit): answered in tRPC's own error envelope
      const code = TRPC_ERROR_CODES_BY_KEY[wire.trpc];
      const data = { code: wire.trpc, httpStatus: wire.status, upsync: wire.body };
      res.status(wire.status).json({ error: { message: wire.body.detail, code, data } });
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
