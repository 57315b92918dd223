/**
 * @upsync/client: the typed SDK of an upsync server. Browser-safe: no Node built-ins here
 * (the CLI lives in `./cli`, a separate entry).
 */

export type {
  TEntityKind,
  TEntityOutcome,
  TEntityResult,
  TFieldChange,
  TProposalSnapshot,
  TSnapshotLabContact,
  TSnapshotLaboratory,
  TSnapshotPerson,
  TSnapshotProtein,
  TSnapshotSession,
  TSnapshotSessionPerson,
  TSyncErrorCode,
  TSyncProposalInput,
  TSyncResult,
  TSyncRun,
  TSyncRunDiff,
  TSyncRunOutcomeClass,
  TSyncRunPage,
  TSyncRunQueryInput,
  TSyncStats,
  TSyncStatsBucket,
  TSyncStatsQueryInput,
  TSyncWarning,
  TValidationIssue,
} from '@upsync/schema';
export { createUpsyncClient } from './client.js';
export {
  UpsyncAuthError,
  UpsyncConflictError,
  UpsyncError,
  type UpsyncErrorOptions,
  UpsyncNotFoundError,
  UpsyncUnavailableError,
  UpsyncValidationError,
} from './errors.js';
export type { FetchFn, RetryEvent } from './transport.js';
export type {
  JsonSchema,
  ReadyStatus,
  SyncBatchError,
  SyncBatchItem,
  SyncBatchResult,
  SyncOptions,
  UpsyncClient,
  UpsyncClientOptions,
} from './types.js';
