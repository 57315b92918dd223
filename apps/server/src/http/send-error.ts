import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { TValidationIssue } from '@upsync/schema';
import type { NextFunction, Request, Response } from 'express';
import { describeError, type UpsyncErrorData } from '../errors/describe-error.js';
import { mapSyncError } from '../errors/map-sync-error.js';
import { parsePath } from '../errors/paths.js';
import { SyncFailure } from '../errors/sync-failure.js';

/** FastAPI's 422 body (`detail` list with `loc`), then upsync's own `errors` list. */
export function validationBody(issues: readonly TValidationIssue[], root: 'body' | 'query' = 'body') {
  return {
    detail: issues.map((issue) => ({
      loc: [root, ...parsePath(issue.path)],
      msg: issue.message,
      type: issue.code,
    })),
    errors: issues.map(({ path, message, code }) => ({ path, message, code })),
    code: 'VALIDATION_FAILED' as const,
  };
}

/** `{ detail, code, path?, entity?, retryable, requestId? }`: never SQL, driver text or a stack. */
export function errorBody(data: UpsyncErrorData) {
  const { issues: _issues, ...rest } = data;
  return rest;
}

function statusOf(error: unknown, data: UpsyncErrorData): number {
  const failure = error instanceof SyncFailure ? error : (error as { cause?: unknown })?.cause;
  if (failure instanceof SyncFailure) return mapSyncError(failure.code).http;
  if (error instanceof TRPCError) return data.code === 'INTERNAL' ? 500 : getHTTPStatusCodeFromError(error);
  return 500;
}

/** Writes any error as the REST contract says; logs unknown errors with their stack (server side only). */
export function sendError(res: Response, error: unknown, root: 'body' | 'query' = 'body'): void {
  const data = describeError(error, res.locals.requestId);
  const status = statusOf(error, data);
  if (status >= 500 && data.code === 'INTERNAL') res.locals.log?.error({ err: error }, 'unhandled error');
  if (data.code === 'UNAUTHORIZED') res.setHeader('WWW-Authenticate', 'Bearer');
  const failure = error instanceof SyncFailure ? error : (error as { cause?: unknown })?.cause;
  if (failure instanceof SyncFailure) {
    const retryAfter = mapSyncError(failure.code).retryAfter;
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  }
  if (data.code === 'VALIDATION_FAILED' && data.issues) {
    res.status(422).json(validationBody(data.issues, root));
    return;
  }
  res.status(status).json(errorBody(data));
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Express's last error handler: body-parser failures, then everything else via sendError. */
export function errorHandler(limitText: string) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const type = (error as BodyParserError | undefined)?.type;
    if (type === 'entity.too.large') {
      res
        .status(413)
        .json({ detail: `Request body too large (limit ${limitText})`, code: 'PAYLOAD_TOO_LARGE' });
      return;
    }
    if (type === 'entity.parse.failed') {
      // Like FastAPI: 422 json_invalid. The parser's message quotes the input, so it is not sent.
      res.status(422).json({
        detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }],
        errors: [{ path: '', message: 'The body is not valid JSON', code: 'json_invalid' }],
        code: 'VALIDATION_FAILED',
      });
      return;
    }
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      res
        .status(415)
        .json({ detail: 'Unsupported body encoding or charset', code: 'UNSUPPORTED_MEDIA_TYPE' });
      return;
    }
    const status = (error as BodyParserError | undefined)?.status;
    if (error instanceof URIError && status === 400) {
      // Express could not decode a path parameter (`/proposal/%C0%AF/1`): not an internal error
      res
        .status(400)
        .json({ detail: 'The URL path is not valid percent-encoded UTF-8', code: 'BAD_REQUEST' });
      return;
    }
    if (type !== undefined && status !== undefined && status >= 400 && status < 500) {
      res.status(status).json({ detail: 'Bad request', code: 'BAD_REQUEST' });
      return;
    }
    sendError(res, error);
  };
}

/** Unknown routes: JSON, like FastAPI's `{"detail":"Not Found"}`. */
export function notFound(_req: Request, res: Response): void {
  res.status(404).json({ detail: 'Not Found', code: 'NOT_FOUND' });
}
