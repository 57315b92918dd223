import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { TValidationIssue } from '@upsync/schema';
import { formatPath } from './paths.js';
import { GENERIC_INTERNAL_MESSAGE, SyncFailure } from './sync-failure.js';

/** What clients see of any error: under `data.upsync` (tRPC) and as the body (REST). */
export interface UpsyncErrorData {
  /** A sync error code (VALIDATION_FAILED, …) or, for protocol errors, the tRPC code (UNAUTHORIZED, …). */
  code: string;
  detail: string;
  path?: string;
  entity?: string;
  retryable: boolean;
  issues?: TValidationIssue[];
  /** Set on internal errors: quote it to the operator, who finds the stack in the log. */
  requestId?: string;
}

/** A TRPCError whose message was written by this server for clients to read. */
export class PublicError extends TRPCError {
  constructor(code: TRPC_ERROR_CODE_KEY, message: string) {
    super({ code, message });
  }
}

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
};

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

/** tRPC's own refusal of a batch longer than the adapter's `maxBatchSize` (a 400 we answer as 413). */
export function isBatchTooLarge(error: unknown): boolean {
  return (
    error instanceof TRPCError &&
    error.code === 'BAD_REQUEST' &&
    error.message === 'Batch call exceeds maximum size'
  );
}

/** The one place that decides what an error may tell a client. Never SQL, driver text or stacks. */
export function describeError(error: unknown, requestId?: string): UpsyncErrorData {
  const failure = error instanceof SyncFailure ? error : (error as { cause?: unknown })?.cause;
  if (failure instanceof SyncFailure) {
    const { code, detail, path, entity, retryable, issues } = failure.body;
    return {
      code,
      detail,
      retryable,
      ...(path !== undefined && { path }),
      ...(entity !== undefined && { entity }),
      ...(issues !== undefined && { issues }),
      ...(code === 'INTERNAL' && requestId !== undefined && { requestId }),
    };
  }
  if (isBatchTooLarge(error)) {
    const detail = 'Too many calls in one tRPC batch request (limit UPSYNC_MAX_TRPC_BATCH)';
    return { code: 'PAYLOAD_TOO_LARGE', detail, retryable: false };
  }
  if (error instanceof TRPCError) {
    if (error.code === 'BAD_REQUEST') {
      const issues = inputIssues(error.cause);
      if (issues) return { code: 'VALIDATION_FAILED', detail: 'Invalid input', retryable: false, issues };
    }
    if (error instanceof PublicError) return { code: error.code, detail: error.message, retryable: false };
    const generic = GENERIC_MESSAGES[error.code];
    if (generic !== undefined) return { code: error.code, detail: generic, retryable: false };
  }
  return {
    code: 'INTERNAL',
    detail: GENERIC_INTERNAL_MESSAGE,
    retryable: false,
    ...(requestId !== undefined && { requestId }),
  };
}
