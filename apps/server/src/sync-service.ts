import { DEFAULT_PAYLOAD_LIMITS, syncProposalJsonSchema, type TSyncResult } from '@upsync/schema';
import {
  checkReplayOf,
  getSyncRun,
  listSyncRuns,
  readProposal,
  SyncError,
  type SyncHistoryOptions,
  syncProposal,
  syncStats,
  type UpsyncOrm,
} from '@upsync/sync-core';
import { DEFAULT_MAX_BATCH_ITEMS, DEFAULT_MAX_TRPC_BATCH, type ServerConfig } from './config.js';
import { PublicError } from './errors/public-error.js';
import { GENERIC_INTERNAL_MESSAGE, SyncFailure } from './errors/sync-failure.js';
import { createHistoryRecorder, type HistoryRecorder } from './history-recorder.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { diffRuns } from './run-diff.js';
import type { SyncService } from './trpc/context.js';

export interface SyncServiceDeps {
  orm: UpsyncOrm;
  config: Pick<ServerConfig, 'unknownKeys' | 'labContactsFromPersons'> &
    Partial<Pick<ServerConfig, 'history' | 'payloadLimits'>>;
  logger: Logger;
  metrics: Metrics;
  /** Record every sync in the sync history (createApp: yes; callers that record themselves: no). */
  recordHistory?: boolean;
}

/** sync-core's SyncError → the server's SyncFailure; anything else is INTERNAL with a generic message. */
function toFailure(error: unknown): SyncFailure {
  if (error instanceof SyncError) {
    // sync-core writes its messages for clients (driver errors stay in `cause`, for the log).
    return new SyncFailure({
      code: error.code,
      detail: error.message,
      retryable: error.retryable,
      ...(error.path !== undefined && { path: error.path }),
      ...(error.entity !== undefined && { entity: error.entity }),
      ...(error.issues !== undefined && { issues: error.issues }),
    });
  }
  return new SyncFailure({ code: 'INTERNAL', detail: GENERIC_INTERNAL_MESSAGE, retryable: false });
}

/** For the history's reads: sync-core's SyncError as the server's SyncFailure; PublicErrors pass. */
function rethrowFailure(error: unknown): never {
  throw error instanceof PublicError ? error : toFailure(error);
}

/** Counts that changed, for the one-line summary: `{ persons: { created: 2 }, … }`. */
function changes(result: TSyncResult): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [kind, counts] of Object.entries(result.summary)) {
    const nonZero = Object.fromEntries(Object.entries(counts).filter(([k, n]) => k !== 'unchanged' && n > 0));
    if (Object.keys(nonZero).length > 0) out[kind] = nonZero;
  }
  return out;
}

/** The one place the server calls sync-core's syncProposal: options, metrics, per-sync log line. */
export function createSyncService(deps: SyncServiceDeps): SyncService {
  const { orm, config, logger, metrics } = deps;
  const history = config.history ?? { storePayloads: false, retentionDays: 0 };
  const payloadLimits = config.payloadLimits ?? {
    ...DEFAULT_PAYLOAD_LIMITS,
    maxBatchItems: DEFAULT_MAX_BATCH_ITEMS,
    maxTrpcBatch: DEFAULT_MAX_TRPC_BATCH,
  };
  const record: HistoryRecorder | undefined = deps.recordHistory
    ? createHistoryRecorder(orm, history, metrics)
    : undefined;
  return {
    maxBatchItems: payloadLimits.maxBatchItems,
    async sync(payload, options, caller) {
      const log = logger.child({ reqId: caller.requestId, principal: caller.principal });
      // a replay names an existing run of this proposal, or is refused like a bad parameter (no row)
      if (options.replayOf !== undefined)
        await checkReplayOf(orm, options.replayOf, payload).catch(rethrowFailure);
      // every sync, succeeded or failed, dry run or not, leaves one history row
      const history = record?.(caller.principal, log);
      return syncOnce(
        payload,
        options,
        log,
        history && { ...history, replayOf: options.replayOf, requestId: caller.requestId },
        caller.signal,
      );
    },
    syncRuns: (query) => listSyncRuns(orm, query).catch(rethrowFailure),
    syncRun: (id) => getSyncRun(orm, id).catch(rethrowFailure),
    syncStats: (query) => syncStats(orm, query).catch(rethrowFailure),
    syncRunDiff: (from, to) => diffRuns(orm, from, to, { timeZone: orm.timeZone }).catch(rethrowFailure),
    async readProposal(key) {
      try {
        return await readProposal(orm, key.proposalCode, key.proposalNumber);
      } catch (error) {
        throw toFailure(error);
      }
    },
    jsonSchema() {
      // the served schema admits exactly what this server accepts (live limits, unknown-key policy)
      // a field this database cannot store is absent (refuse) or marked ignored (skip)
      return syncProposalJsonSchema({
        limits: orm.columnLimits,
        unknownKeys: config.unknownKeys,
        missingColumns: orm.missingColumns,
        maxItems: payloadLimits.maxItems,
      });
    },
  };

  async function syncOnce(
    payload: unknown,
    options: { dryRun: boolean; reconcile: boolean },
    log: Logger,
    history: SyncHistoryOptions | undefined,
    signal: AbortSignal | undefined,
  ): Promise<TSyncResult> {
    const started = performance.now();
    try {
      const result = await syncProposal(orm, payload, {
        dryRun: options.dryRun,
        reconcile: options.reconcile,
        unknownKeys: config.unknownKeys,
        labContactsFromPersons: config.labContactsFromPersons,
        payloadLimits: { maxItems: payloadLimits.maxItems, maxIssues: payloadLimits.maxIssues },
        ...(history && { history }),
        ...(signal && { signal }),
        onRetry: (reason) => metrics.recordRetry(reason),
      });
      const seconds = (performance.now() - started) / 1000;
      metrics.recordSync(options.dryRun ? 'dry_run' : 'synchronized', seconds, result);
      // the line's object (its changes counted per kind) only when the line is written
      if (log.isLevelEnabled('info')) {
        const { proposalCode, proposalNumber, proposalId } = result.proposal;
        log.info(
          {
            proposal: `${proposalCode}-${proposalNumber}`,
            proposalId,
            dryRun: result.dryRun,
            reconcile: result.reconcile,
            changes: changes(result),
            warnings: result.warnings.length,
            elapsedMs: result.elapsedMs,
          },
          options.dryRun ? 'proposal dry run' : 'proposal synchronized',
        );
      }
      return result;
    } catch (error) {
      const failure = toFailure(error);
      metrics.recordSync(failure.code.toLowerCase(), (performance.now() - started) / 1000);
      if (failure.code === 'INTERNAL') log.error({ err: error }, 'sync failed: internal error');
      else
        log.warn({ code: failure.code, path: failure.body.path, detail: failure.body.detail }, 'sync failed');
      throw failure;
    }
  }
}
