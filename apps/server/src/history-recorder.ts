import { pruneSyncRuns, rollUpSyncStats, type SyncHistoryOptions, type UpsyncOrm } from '@upsync/sync-core';
import type { ServerConfig } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

const PRUNE_EVERY_MS = 3_600_000;
/** The history's counts (syncStats) catch up at most this often, so that they lag by minutes only. */
const ROLL_UP_EVERY_MS = 60_000;

/** The history options of one sync call (sync-core writes the row; this reports and prunes). */
export type HistoryRecorder = (principal: string | undefined, log: Logger) => SyncHistoryOptions;

/**
 * The sync history as the server keeps it: every sync recorded by sync-core with its principal
 * (never failing the sync), the outcome counted, its statistics rolled up at most once a minute,
 * old rows pruned at most once an hour per process. A missing table is logged once, then only counted.
 */
export function createHistoryRecorder(
  orm: UpsyncOrm,
  history: ServerConfig['history'],
  metrics: Metrics,
): HistoryRecorder {
  let lastPrune = 0;
  let lastRollUp = 0;
  let missingTableLogged = false;
  const prune = (log: Logger) => {
    if (history.retentionDays <= 0 || Date.now() - lastPrune <= PRUNE_EVERY_MS) return;
    lastPrune = Date.now();
    void pruneSyncRuns(orm, { retentionDays: history.retentionDays })
      .then(({ deleted }) => deleted > 0 && log.info({ deleted }, 'sync history pruned'))
      .catch((error: unknown) => log.warn({ err: error }, 'sync history not pruned'));
  };
  const rollUp = (log: Logger) => {
    if (Date.now() - lastRollUp <= ROLL_UP_EVERY_MS) return;
    lastRollUp = Date.now();
    void rollUpSyncStats(orm).catch((error: unknown) =>
      log.warn({ err: error }, 'sync statistics not rolled up'),
    );
  };
  return (principal, log) => ({
    principal: principal ?? 'anonymous',
    storePayload: history.storePayloads,
    onRecorded: (error) => {
      metrics.recordHistoryWrite(error ? 'failed' : 'recorded');
      if (error?.code === 'SCHEMA_MISMATCH') {
        if (!missingTableLogged)
          log.warn({ err: error }, 'sync history not recorded: run `npm run db:setup`');
        missingTableLogged = true;
      } else if (error) log.warn({ err: error }, 'sync history not recorded');
      if (!error) rollUp(log);
      prune(log);
    },
  });
}
