import type { PayloadLimits } from '@upsync/schema';
import type { RetryReason } from './db/driver-errors.js';
import type { SyncRunRecord } from './history/sync-run-record.js';
import type { SyncError } from './sync-error.js';

export interface SyncOptions {
  /** Do the same work, then roll back: the result says what would change. */
  dryRun?: boolean;
  /** Delete this proposal's participant rows whose persons the payload no longer lists. */
  reconcile?: boolean;
  /** Unknown payload keys: refuse (default) or strip with a warning. */
  unknownKeys?: 'reject' | 'strip';
  /** Also give each proposal person without a lab contact a card (`DESY - Amity Weaver`). */
  labContactsFromPersons?: boolean;
  /** Facility time zone for datetimes without offset and for `now`; defaults to the orm's. */
  timeZone?: string;
  /** Record this sync, whatever its outcome, in the sync history (upsync_sync_run). */
  history?: SyncHistoryOptions;
  /** Told before each retry of the transaction, with why (deadlock, certification conflict, …). */
  onRetry?: (reason: RetryReason) => void;
  /** Bounds on one payload (list lengths, issues listed); @upsync/schema's defaults otherwise. */
  payloadLimits?: Partial<PayloadLimits>;
  /**
   * No retry of the transaction starts once this aborts (the request's deadline passed, its client
   * left): the sync then fails with a retryable LOCK_RETRIES_EXHAUSTED. An attempt is never cut.
   */
  signal?: AbortSignal;
}

/** The history row's own facts (as recordSyncRun takes them), and who is told whether it was written. */
export type SyncHistoryOptions = Pick<
  SyncRunRecord,
  'principal' | 'storePayload' | 'replayOf' | 'requestId'
> & {
  /** Told once per sync: null when the row was written, else why not (never fails the sync). */
  onRecorded?: (error: SyncError | null) => void;
};
