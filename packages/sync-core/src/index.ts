export { checkReady } from './admin/check-ready.js';
export { type MigrateIndexesReport, migrateIndexes, OPTIONAL_INDEXES } from './admin/migrate-indexes.js';
export { SERVICE_TABLES, setupServiceTables } from './admin/setup-service-tables.js';
export type { RetryReason } from './db/driver-errors.js';
export { decodeExternalId, encodeExternalId } from './external-id.js';
export { checkReplayOf, getSyncRun } from './history/get-sync-run.js';
export { encodeCursor, listSyncRuns } from './history/list-sync-runs.js';
export { pruneSyncRuns } from './history/prune-sync-runs.js';
export { type RecordSyncRunOptions, recordSyncRun } from './history/record-sync-run.js';
export { rollUpSyncStats } from './history/roll-up-stats.js';
export {
  outcomeClassOf,
  payloadSha256,
  proposalKeyOf,
  type SyncRunRecord,
} from './history/sync-run-record.js';
export { syncStats } from './history/sync-stats.js';
export {
  type CreateOrmOptions,
  closeOrm,
  createOrm,
  DEFAULT_LOCK_WAIT_TIMEOUT_SECONDS,
  type LibraryLog,
} from './orm/create-orm.js';
export { DEFAULT_DATABASE_URL } from './orm/database-url.js';
export { ForeignOrmSettings, mikroOrmVariables } from './orm/foreign-orm-settings.js';
export type { UpsyncOrm } from './orm/internals.js';
export type { SchemaReport } from './orm/live-columns.js';
export { onStatement } from './orm/on-statement.js';
export type { StatementEvent, StatementListener } from './orm/statement-hub.js';
export { readProposal } from './read-back/read-proposal.js';
export { SyncError, validationFailed } from './sync-error.js';
export type { SyncHistoryOptions, SyncOptions } from './sync-options.js';
export { syncProposal } from './sync-proposal.js';
