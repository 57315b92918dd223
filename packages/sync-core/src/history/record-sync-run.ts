import { marks } from '../db/sql.js';
import { internalsOf, type UpsyncOrm } from '../orm/internals.js';
import type { SyncError } from '../sync-error.js';
import { historyError } from './history-errors.js';
import {
  outcomeClassOf,
  payloadJson,
  payloadSha256,
  proposalKeyOf,
  type SyncRunRecord,
} from './sync-run-record.js';

const cut = (value: string | undefined | null, max: number) => (value == null ? null : value.slice(0, max));

/**
 * Writes one row of the sync history, outside any sync transaction (on its own connection from
 * the pool), so a rolled-back or failed sync is still recorded and a history failure can't undo a
 * sync. Never throws: returns false and tells `onError` when the row could not be written.
 * (A succeeded sync given `history` records its row in its own transaction: history/with-history.ts.)
 */
export async function recordSyncRun(
  orm: UpsyncOrm,
  run: SyncRunRecord,
  options: { onError?: (error: SyncError) => void } = {},
): Promise<boolean> {
  try {
    const { sql, params } = syncRunStatement(run);
    // the root EntityManager's connection, not a sync's transactional fork: its own autocommit statement
    await internalsOf(orm).orm.em.getConnection().execute(sql, params, 'run');
    return true;
  } catch (error) {
    try {
      options.onError?.(historyError(error));
    } catch {
      // a failing reporter must not turn into a failed sync either
    }
    return false;
  }
}

/** The INSERT of one history row (also sent inside a sync's own transaction: history/with-history.ts). */
export function syncRunStatement(run: SyncRunRecord): { sql: string; params: unknown[] } {
  const key =
    run.proposalCode !== undefined && run.proposalNumber !== undefined
      ? run.proposalCode === null || run.proposalNumber === null
        ? null
        : { proposalCode: run.proposalCode, proposalNumber: run.proposalNumber }
      : proposalKeyOf(run.payload);
  const startedAt = run.startedAt ?? new Date(Date.now() - run.durationMs);
  // the columns in this order, whatever the run: one statement text for every row
  const row = {
    startedAt: startedAt.toISOString(),
    principal: run.principal.slice(0, 128),
    proposalCode: cut(key?.proposalCode, 45),
    proposalNumber: cut(key?.proposalNumber, 45),
    dryRun: run.dryRun ? 1 : 0,
    reconcile: run.reconcile ? 1 : 0,
    outcome: run.outcome,
    errorCode: run.errorCode ?? null,
    errorDetail: cut(run.errorDetail, 16_000), // well under 64 KiB even in 4-byte characters
    errorPath: cut(run.errorPath, 512),
    summary: run.summary ? JSON.stringify(run.summary) : null,
    warnings: JSON.stringify(run.warnings ?? []),
    durationMs: Math.round(run.durationMs * 1000) / 1000,
    payloadSha256: payloadSha256(run.payload),
    payload: run.storePayload ? payloadJson(run.payload) : null,
    outcomeClass: outcomeClassOf(run),
    replayOf: run.replayOf ?? null,
    requestId: cut(run.requestId, 64),
  };
  const columns = Object.keys(row);
  return {
    sql: `INSERT INTO upsync_sync_run (${columns.join(', ')}) VALUES (${marks(columns.length)})`,
    params: Object.values(row),
  };
}
