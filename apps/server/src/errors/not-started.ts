import { deadlineExceeded, type SyncError } from '@upsync/sync-core';

/** DEADLINE_EXCEEDED for work not begun: the request's signal says why (deadline passed, client gone). */
export function notStarted(signal: AbortSignal, what: 'Not started' | 'Not attempted'): SyncError {
  const reason = signal.reason instanceof Error ? signal.reason.message : 'the request was stopped';
  return deadlineExceeded(`${what}: ${reason}`);
}
