import { DEFAULT_PAYLOAD_LIMITS, syncProposalJsonSchema, type TSyncResult } from '@upsync/schema';
import {
  checkReplayOf,
  getSyncRun,
  listSyncRuns,
  readProposal,
  type SyncError,
  type SyncOptions,
  syncProposal,
  syncStats,
  type UpsyncOrm,
} from '@upsync/sync-core';
import { DEFAULT_MAX_BATCH_ITEMS, DEFAULT_MAX_TRPC_BATCH, type ServerConfig } from './config.js';
import { PublicError } from './errors/public-error.js';
import { asSyncError } from './errors/sync-error-body.js';
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

/** Counts that changed, for the one-line summary: `{ persons: { created: 2 }, … }`. */
function changes(result: TSyncResult): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [kind, counts] of Object.entries(result.summary)) {
    const nonZero = Object.fromEntries(Object.entries(counts).filter(([k, n]) => k !== 'unchanged' && n > 0));
    if (Object.keys(nonZero).length > 0) out[kind] = nonZero;
  }
  return out;
}

/** The per-sync log line (its changes counted per kind only when the line is written). */
function logSynced(log: Logger, result: TSyncResult): void {
  if (!log.isLevelEnabled('info')) return;
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
    result.dryRun ? 'proposal dry run' : 'proposal synchronized',
  );
}

/** A failure logged where it happened, with its cause: the edges log no SyncError again. */
function logFailure(log: Logger, error: unknown, failure: SyncError, what: string): void {
  if (failure.code === 'INTERNAL') log.error({ err: error }, `${what} failed: internal error`);
  else log.warn({ code: failure.code, path: failure.path, detail: failure.message }, `${what} failed`);
}

/** One sync, counted in the metrics and logged; throws SyncError. */
async function syncAndReport(
  deps: { orm: UpsyncOrm; metrics: Metrics; log: Logger },
  payload: unknown,
  options: SyncOptions,
): Promise<TSyncResult> {
  const { orm, metrics, log } = deps;
  const started = performance.now();
  try {
    const result = await syncProposal(orm, payload, options);
    metrics.recordSync(
      result.dryRun ? 'dry_run' : 'synchronized',
      (performance.now() - started) / 1000,
      result,
    );
    logSynced(log, result);
    return result;
  } catch (error) {
    const failure = asSyncError(error);
    metrics.recordSync(failure.code.toLowerCase(), (performance.now() - started) / 1000);
    logFailure(log, error, failure, 'sync');
    throw failure;
  }
}

/**
 * The one place the server calls sync-core: options, metrics, a log line per sync. Everything it
 * throws is a SyncError (or a PublicError the server wrote), mapped to the wire at the edges.
 */
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
  /** History reads and the read-back: PublicErrors pass, the rest as SyncError. */
  const read = <T>(reading: Promise<T>): Promise<T> =>
    reading.catch((error: unknown) => {
      if (error instanceof PublicError) throw error;
      const failure = asSyncError(error);
      if (failure.code === 'INTERNAL') logFailure(logger, error, failure, 'read');
      throw failure;
    });
  return {
    maxBatchItems: payloadLimits.maxBatchItems,
    async sync(payload, options, caller) {
      const log = logger.child({ reqId: caller.requestId, principal: caller.principal });
      // a replay names an existing run of this proposal, or is refused like a bad parameter (no row)
      if (options.replayOf !== undefined) await read(checkReplayOf(orm, options.replayOf, payload));
      // every sync, succeeded or failed, dry run or not, leaves one history row
      const recording = record?.(caller.principal, log);
      return syncAndReport({ orm, metrics, log }, payload, {
        dryRun: options.dryRun,
        reconcile: options.reconcile,
        unknownKeys: config.unknownKeys,
        labContactsFromPersons: config.labContactsFromPersons,
        payloadLimits: { maxItems: payloadLimits.maxItems, maxIssues: payloadLimits.maxIssues },
        ...(recording && {
          history: { ...recording, replayOf: options.replayOf, requestId: caller.requestId },
        }),
        ...(caller.signal && { signal: caller.signal }),
        onRetry: (reason) => metrics.recordRetry(reason),
      });
    },
    syncRuns: (query) => read(listSyncRuns(orm, query)),
    syncRun: (id) => read(getSyncRun(orm, id)),
    syncStats: (query) => read(syncStats(orm, query)),
    syncRunDiff: (from, to) => read(diffRuns(orm, from, to, { timeZone: orm.timeZone })),
    readProposal: (key) => read(readProposal(orm, key.proposalCode, key.proposalNumber)),
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
}
