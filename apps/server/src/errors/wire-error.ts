import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { type TRPC_ERROR_CODE_KEY, TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { formatPath, type TErrorBody, type TSyncErrorCode, type TValidationIssue } from '@upsync/schema';
import { SyncError } from '@upsync/sync-core';
import { MAX_JSON_DEPTH } from '../http/json-depth.js';
import { PublicError } from './public-error.js';
import { syncErrorBody } from './sync-error-body.js';

/** Everything the edge needs to answer an error, on either transport. */
export interface WireError {
  status: number;
  trpc: TRPC_ERROR_CODE_KEY;
  body: TErrorBody;
  /** Seconds for the Retry-After header. */
  retryAfter?: number;
}

/**
 * THE table: each sync error code → one HTTP status and one tRPC code (tRPC 11's
 * SERVICE_UNAVAILABLE is HTTP 503, so both transports agree on retryable failures).
 */
export const SYNC_ERROR_MAP: Record<TSyncErrorCode, Omit<WireError, 'body'>> = {
  VALIDATION_FAILED: { status: 422, trpc: 'UNPROCESSABLE_CONTENT' },
  IDENTITY_CONFLICT: { status: 409, trpc: 'CONFLICT' },
  CONSTRAINT_VIOLATION: { status: 400, trpc: 'BAD_REQUEST' },
  // A table (or upsync_lock) is missing: a deployment problem, not the client's. Fields the database
  // lacks are validation issues (missing_column) and answer 422.
  SCHEMA_MISMATCH: { status: 500, trpc: 'INTERNAL_SERVER_ERROR' },
  LOCK_RETRIES_EXHAUSTED: { status: 503, trpc: 'SERVICE_UNAVAILABLE', retryAfter: 2 },
  DATABASE_UNAVAILABLE: { status: 503, trpc: 'SERVICE_UNAVAILABLE', retryAfter: 10 },
  INTERNAL: { status: 500, trpc: 'INTERNAL_SERVER_ERROR' },
  DEADLINE_EXCEEDED: { status: 503, trpc: 'SERVICE_UNAVAILABLE', retryAfter: 1 },
};

/** tRPC's own failures: generic messages, because tRPC's quote the input. */
const GENERIC_MESSAGES: Partial<Record<TRPC_ERROR_CODE_KEY, string>> = {
  PARSE_ERROR: 'Malformed JSON body',
  BAD_REQUEST: 'Invalid request',
  NOT_FOUND: 'Not found',
  METHOD_NOT_SUPPORTED: 'Method not supported',
  PAYLOAD_TOO_LARGE: 'Request body too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type: send application/json',
  UNAUTHORIZED: 'Not authenticated',
  FORBIDDEN: 'Forbidden',
  TIMEOUT: 'Request timed out',
  CLIENT_CLOSED_REQUEST: 'Client closed request',
  TOO_MANY_REQUESTS: 'Too many requests',
};

/** body-parser's errors (express.json on the REST routes, the raw reader before /trpc). */
interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/** Thrown by the body readers' `verify` when the bytes are not UTF-8 (no U+FFFD is ever stored). */
export const INVALID_UTF8 = 'encoding.invalid_utf8';
/** Thrown by the body readers' `verify` when the body nests deeper than MAX_JSON_DEPTH. */
export const TOO_DEEP = 'entity.too_deep';

/** tRPC's own refusal of a batch longer than the adapter's `maxBatchSize` (a 400 we answer as 413). */
function isBatchTooLarge(error: TRPCError): boolean {
  return error.code === 'BAD_REQUEST' && error.message === 'Batch call exceeds maximum size';
}

interface IssueLike {
  message: string;
  path?: readonly (PropertyKey | { key: PropertyKey })[];
  code?: string;
}

/** Zod / Standard Schema issues thrown by tRPC's input parsing. */
function inputIssues(cause: unknown): TValidationIssue[] | undefined {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return undefined;
  return (issues as IssueLike[]).map((issue) => ({
    path: formatPath((issue.path ?? []).map((p) => (typeof p === 'object' ? p.key : p))),
    message: issue.message,
    code: issue.code ?? 'invalid',
  }));
}

/** `5242880` → `5 MB` for messages. */
function formatBytes(bytes: number): string {
  const mb = bytes / 1024 ** 2;
  return mb >= 1 ? `${Number(mb.toFixed(2))} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

const invalid = (issues: TValidationIssue[]): WireError => ({
  ...SYNC_ERROR_MAP.VALIDATION_FAILED,
  body: { code: 'VALIDATION_FAILED', detail: 'Invalid input', retryable: false, errors: issues },
});

const protocol = (trpc: TRPC_ERROR_CODE_KEY, detail: string, retryAfter?: number): WireError => ({
  status: getHTTPStatusCodeFromError(new TRPCError({ code: trpc })),
  trpc,
  body: { code: trpc, detail, retryable: retryAfter !== undefined },
  ...(retryAfter !== undefined && { retryAfter }),
});

function fromBodyParser(error: BodyParserError): WireError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return protocol(
        'PAYLOAD_TOO_LARGE',
        `Request body too large${error.limit ? ` (limit ${formatBytes(error.limit)})` : ''}`,
      );
    case 'entity.parse.failed':
      // Like FastAPI: 422 json_invalid. The parser's message quotes the input, so it is not sent.
      return invalid([{ path: '', message: 'The body is not valid JSON', code: 'json_invalid' }]);
    case INVALID_UTF8:
      return invalid([{ path: '', message: 'The body is not valid UTF-8', code: 'invalid_utf8' }]);
    case TOO_DEEP:
      return invalid([
        { path: '', message: `The body nests deeper than ${MAX_JSON_DEPTH} levels`, code: 'too_deep' },
      ]);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return protocol('UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding or charset');
    default:
      if (error.type !== undefined && error.status !== undefined && error.status >= 400 && error.status < 500)
        return protocol('BAD_REQUEST', 'Bad request');
      return undefined;
  }
}

/** tRPC's own errors and the ones this server writes for clients (PublicError). */
function fromTrpc(error: TRPCError): WireError | undefined {
  if (error instanceof PublicError) return protocol(error.code, error.message, error.retryAfter);
  if (isBatchTooLarge(error))
    return protocol(
      'PAYLOAD_TOO_LARGE',
      'Too many calls in one tRPC batch request (limit UPSYNC_MAX_TRPC_BATCH)',
    );
  if (error.code === 'BAD_REQUEST') {
    const issues = inputIssues(error.cause);
    if (issues) return invalid(issues);
  }
  const generic = GENERIC_MESSAGES[error.code];
  return generic === undefined ? undefined : protocol(error.code, generic);
}

/** The SyncError a failure carries: itself, or the cause of the TRPCError tRPC wrapped it in. */
export function syncErrorOf(error: unknown): SyncError | undefined {
  if (error instanceof SyncError) return error;
  const cause = (error as { cause?: unknown } | null | undefined)?.cause;
  return cause instanceof SyncError ? cause : undefined;
}

/**
 * The one place that decides what an error tells a client, and with which status, tRPC code and
 * Retry-After: used by tRPC's error formatter and response meta, the Express error middleware and
 * the batch. Never SQL, driver text or stacks: unknown errors are INTERNAL with the request id.
 */
export function toWireError(error: unknown, requestId?: string): WireError {
  const failure = syncErrorOf(error);
  if (failure) return { ...SYNC_ERROR_MAP[failure.code], body: syncErrorBody(failure, requestId) };
  let wire: WireError | undefined;
  if (error instanceof TRPCError) wire = fromTrpc(error);
  else if (error instanceof URIError && (error as BodyParserError).status === 400)
    // Express could not decode a path parameter (`/proposal/%C0%AF/1`): not an internal error
    wire = protocol('BAD_REQUEST', 'The URL path is not valid percent-encoded UTF-8');
  else if (error !== null && typeof error === 'object') wire = fromBodyParser(error as BodyParserError);
  return wire ?? { ...SYNC_ERROR_MAP.INTERNAL, body: syncErrorBody(error, requestId) };
}

/** tRPC's error envelope of a wire error (`error.data.upsync` holds the body), for both transports' /trpc answers. */
export function trpcErrorShape(wire: WireError) {
  return {
    message: wire.body.detail,
    code: TRPC_ERROR_CODES_BY_KEY[wire.trpc],
    data: { code: wire.trpc, httpStatus: wire.status, upsync: wire.body },
  };
}
