import { isMissingTable, isUnavailable } from '../db/driver-errors.js';
import { databaseUnavailable, internalError, SyncError, schemaMismatch } from '../sync-error.js';

/** The history table is missing: db:setup has not run since this version. */
export function missingHistoryTable(cause: unknown): SyncError {
  return schemaMismatch(
    'upsync_sync_run is missing: run `npm run db:setup` (setupServiceTables) to record the sync history',
    { cause },
  );
}

/** A failure of a history statement as a SyncError (driver text only in `cause`). */
export function historyError(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  if (isMissingTable(error)) return missingHistoryTable(error);
  if (isUnavailable(error)) return databaseUnavailable(error);
  return internalError(error);
}
