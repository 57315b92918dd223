import type { TSyncResult } from '@upsync/schema';
import { pruneSyncRuns, recordSyncRun, type SyncRunRecord, type UpsyncOrm } from '@upsync/sync-core';
import type { ServerConfig } from './config.js';
import type { SyncFailure } from './errors/sync-failure.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

const PRUNE_EVERY_MS = 3_600_000;

/** What one sync call knew, for its history row. */
export interface FinishedSync {
  startedAt: Date;
  durationMs: number;
  principal: string | undefined;
  payload: unknown;
  dryRun: boolean;
  reconcile: boolean;
  result?: TSyncResult;
  failure?: SyncFailure;
}

export type HistoryRecorder = (sync: FinishedSync, log: Logger) => Promise<void>;

/**
 * Records each sync in upsync_sync_run (never failing the sync), and prunes old rows at most once
 * an hour per process. A missing table is logged once, then only counted as skipped.
 */
export function createHistoryRecorder(
  orm: UpsyncOrm,
  history: ServerConfig['history'],
  metrics: Metrics,
): HistoryRecorder {
  let lastPrune = 0;
  let missingTableLogged = false;
  return async (sync, log) => {
    const { result, failure } = sync;
    const run: SyncRunRecord = {
      startedAt: sync.startedAt,
      principal: sync.principal ?? 'anonymous',
      dryRun: sync.dryRun,
      reconcile: sync.reconcile,
      outcome: failure ? 'failed' : 'succeeded',
      durationMs: sync.durationMs,
      payload: sync.payload,
      storePayload: history.storePayloads,
      ...(result && {
        proposalCode: result.proposal.proposalCode,
        proposalNumber: result.proposal.proposalNumber,
        summary: result.summary,
        warnings: result.warnings,
      }),
      ...(failure && {
        errorCode: failure.code,
        errorDetail: failure.body.detail,
        errorPath: failure.body.path,
      }),
    };
    const recorded = await recordSyncRun(orm, run, {
      onError: (error) => {
        const code = (error as { code?: string }).code;
        if (code === 'SCHEMA_MISMATCH') {
          if (!missingTableLogged)
            log.warn({ err: error }, 'sync history not recorded: run `npm run db:setup`');
          missingTableLogged = true;
        } else log.warn({ err: error }, 'sync history not recorded');
      },
    });
    metrics.recordHistoryWrite(recorded ? 'recorded' : 'failed');
    if (history.retentionDays > 0 && Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      await pruneSyncRuns(orm, { retentionDays: history.retentionDays })
        .then(({ deleted }) => deleted > 0 && log.info({ deleted }, 'sync history pruned'))
        .catch((error: unknown) => log.warn({ err: error }, 'sync history not pruned'));
    }
  };
}
