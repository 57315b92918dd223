import type {
  TProposalKey,
  TProposalSnapshot,
  TSyncResult,
  TSyncRun,
  TSyncRunDiff,
  TSyncRunPage,
  TSyncRunQueryInput,
  TSyncStats,
  TSyncStatsQuery,
} from '@upsync/schema';
import type { AuthResult } from '../auth/principal.js';

export interface SyncCallOptions {
  dryRun: boolean;
  reconcile: boolean;
  /** The recorded run this sync replays (checked to exist and to be of the same proposal). */
  replayOf?: number | undefined;
}

/** Who asked, for the per-sync log line. */
export interface CallerInfo {
  requestId: string;
  principal: string | undefined;
  /** The request's signal: no retry of a sync's transaction starts once it aborts. */
  signal?: AbortSignal;
}

/**
 * What procedures may call. Defined here with wire types only, so that `AppRouter` carries
 * no ORM, Express or logger types into the client SDK. Implemented by `createSyncService`.
 */
export interface SyncService {
  /** Most proposals one batch call may carry (UPSYNC_MAX_BATCH_ITEMS). */
  maxBatchItems: number;
  /** Syncs (or dry-runs) one payload; throws SyncError. */
  sync(payload: unknown, options: SyncCallOptions, caller: CallerInfo): Promise<TSyncResult>;
  /** A page of the sync history, newest first; throws SyncError. */
  syncRuns(query: TSyncRunQueryInput): Promise<TSyncRunPage>;
  /** One recorded run, payload included when stored, or null; throws SyncError. */
  syncRun(id: number): Promise<TSyncRun | null>;
  /** Counts, failure codes and a time series over the history; throws SyncError. */
  syncStats(query: TSyncStatsQuery): Promise<TSyncStats>;
  /** Field-level differences between the stored payloads of two runs of one proposal; throws PublicError/SyncError. */
  syncRunDiff(from: number, to: number): Promise<TSyncRunDiff>;
  /** The proposal as ISPyB holds it now, or null; throws SyncError. */
  readProposal(key: TProposalKey): Promise<TProposalSnapshot | null>;
  /** The payload's JSON Schema with the connected database's column limits. */
  jsonSchema(): Record<string, unknown>;
}

export interface Context {
  requestId: string;
  auth: AuthResult;
  services: SyncService;
  /** Aborted when the client goes away or the request's deadline passes: a batch stops between items. */
  signal?: AbortSignal;
}
