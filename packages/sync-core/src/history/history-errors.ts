import { isMissingTable, isUnavailable } from '../db/driver-errors.js';
import { databaseUnavailable, internalError, SyncError, schemaMismatch } from '../sync-error.js';

/** A failure of a history statement as a SyncError (driver text only in `cause`). */
export function historyError(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  // the history table is missing: db:setup has not run since this version
  if (isMissingTable(error))
    return schemaMismatch(
      'upsync_sync_run is missing: run `npm run db:setup` (setupServiceTables) to record the sync history',
      { cause: error },
    );
  if (isUnavailable(error)) return databaseUnavailable(error);
  return internalError(error);
}
