import type {
  TProposalSnapshot,
  TSyncBatchItem,
  TSyncBatchItemError,
  TSyncBatchResult,
  TSyncProposalInput,
  TSyncResult,
  TSyncRun,
  TSyncRunDiff,
  TSyncRunPage,
  TSyncRunQueryInput,
  TSyncStats,
  TSyncStatsQueryInput,
} from '@upsync/schema';
import type { FetchFn, RetryEvent } from './transport.js';

/** Options of `createUpsyncClient`. */
export interface UpsyncClientOptions {
  /** Base URL of the upsync server, such as `https://ispyb.example.org` (tRPC is served under `/trpc`). */
  url: string;
  /** Bearer token with the `uportal_sync` permission; a function is called before every request. */
  token?: string | (() => string | Promise<string>);
  /** Per attempt, in milliseconds (default 30000). */
  timeoutMs?: number;
  /** Retries of network errors, timeouts and 503s after the first attempt (default 3); 4xx are never retried. */
  retries?: number;
  /** Delay before the first retry, doubled each time, with jitter (default 300 ms). */
  retryDelayMs?: number;
  /** Longest wait between attempts, Retry-After included (default 10000 ms). */
  maxRetryDelayMs?: number;
  /** The `fetch` to use (default: the global one). */
  fetch?: FetchFn;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Called before each retry, for logging. */
  onRetry?: (event: RetryEvent) => void;
}

/** Options of one sync. */
export interface SyncOptions {
  /** Do the whole sync, report what would change, and roll it back. */
  dryRun?: boolean;
  /** Also remove proposal/session participants that the payload no longer lists. */
  reconcile?: boolean;
  /**
   * The id of the recorded run this sync replays (syncProposal only): the new history row links
   * to it. The server checks that the run exists and is of the same proposal.
   */
  replayOf?: number;
}

/** Batch shapes are the schema package's wire types, under the SDK's names. */
export type SyncBatchError = TSyncBatchItemError;
export type SyncBatchItem = TSyncBatchItem;
export type SyncBatchResult = TSyncBatchResult;

/** The server's readiness (`GET /ready`). */
export interface ReadyStatus {
  ready: boolean;
  /** HTTP status of the answer (200 or 503). */
  status: number;
  /** The server's JSON body, when it sent one. */
  details: unknown;
}

/** A JSON Schema document (draft 2020-12). */
export type JsonSchema = Record<string, unknown>;

/** The typed SDK: one method per server operation. */
export interface UpsyncClient {
  /** Syncs one proposal (or, with `dryRun`, reports what a sync would change). */
  syncProposal(payload: TSyncProposalInput, options?: SyncOptions): Promise<TSyncResult>;
  /** Syncs many proposals in one request; failures are per item, not thrown. */
  syncProposals(payloads: TSyncProposalInput[], options?: SyncOptions): Promise<SyncBatchResult>;
  /**
   * A page of the sync history, newest first:
   * `{ proposal: 'MX-3456', outcome, principal, from, to, limit, cursor }` (scope `read`).
   */
  syncRuns(query?: TSyncRunQueryInput): Promise<TSyncRunPage>;
  /** One recorded run in full, payload included when stored; `UpsyncNotFoundError` when none (scope `read`). */
  syncRun(id: number): Promise<TSyncRun>;
  /** Counts by outcome class, top failure codes, throughput and p50/p95 over time (scope `read`). */
  syncStats(query?: TSyncStatsQueryInput): Promise<TSyncStats>;
  /** Field-level differences between the stored payloads of two runs of one proposal (scope `read`). */
  syncRunDiff(query: { from: number; to: number }): Promise<TSyncRunDiff>;
  /** The proposal as ISPyB holds it now (read-back); `UpsyncNotFoundError` when ISPyB has none. */
  proposal(proposalCode: string, proposalNumber: string | number): Promise<TProposalSnapshot>;
  /** The payload's JSON Schema as the server validates it. */
  schema(): Promise<JsonSchema>;
  /** Readiness of the server and its database; throws `UpsyncUnavailableError` when unreachable. */
  ready(): Promise<ReadyStatus>;
}
