import type { TSyncErrorBody } from '@upsync/schema';
import { SyncError } from '@upsync/sync-core';

/** What clients read of an error that is not a SyncError: its own text may quote SQL or a driver. */
const UNEXPECTED_MESSAGE = 'Internal server error';

/** Any error as a SyncError: anything else becomes INTERNAL with a generic message (the original in `cause`). */
export function asSyncError(error: unknown): SyncError {
  return error instanceof SyncError ? error : new SyncError('INTERNAL', UNEXPECTED_MESSAGE, { cause: error });
}

/**
 * THE body every transport sends for a failure (REST, tRPC's `data.upsync`, a batch item, the
 * queue's dead letters): sync-core writes its messages for clients; driver text stays in `cause`.
 * `requestId` goes with INTERNAL only, for the operator to find the log line.
 */
export function syncErrorBody(error: unknown, requestId?: string): TSyncErrorBody {
  const { code, message, retryable, path, entity, issues } = asSyncError(error);
  return {
    code,
    detail: message,
    retryable,
    ...(path !== undefined && { path }),
    ...(entity !== undefined && { entity }),
    ...(issues !== undefined && { errors: issues }),
    ...(code === 'INTERNAL' && requestId !== undefined && { requestId }),
  };
}

/** DEADLINE_EXCEEDED for work not begun: the request's signal says why (deadline passed, client gone). */
export function notStarted(signal: AbortSignal, what: 'Not started' | 'Not attempted'): SyncError {
  const reason = signal.reason instanceof Error ? signal.reason.message : 'the request was stopped';
  return new SyncError('DEADLINE_EXCEEDED', `${what}: ${reason}`, { retryable: true });
}
