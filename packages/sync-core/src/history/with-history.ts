import type { SqlEntityManager } from '@mikro-orm/sql';
import type { TSyncResult } from '@upsync/schema';
import { isConnectionLost, isRetryable, isUnavailable } from '../db/driver-errors.js';
import { internalsOf, type UpsyncOrm } from '../orm/internals.js';
import type { BeforeCommit, runSync } from '../run-sync.js';
import { internalError, SyncError } from '../sync-error.js';
import type { SyncHistoryOptions, SyncOptions } from '../sync-options.js';
import { recordSyncRun, syncRunStatement } from './record-sync-run.js';
import type { SyncRunRecord } from './sync-run-record.js';

/**
 * `sync` (runSync, which runs `beforeCommit` last in its own transaction), recorded in the sync
 * history when called with `history`: a sync that wrote has its row in its own transaction (it
 * commits with the sync, at no extra log flush); an unchanged sync's (it had no transaction), a
 * dry run's or a failure's is written after it. The history never fails a sync: a row refused in
 * the transaction leaves the sync to commit without it, and is written after.
 */
export function withHistory(sync: typeof runSync) {
  return async (orm: UpsyncOrm, payload: unknown, options: SyncOptions = {}): Promise<TSyncResult> => {
    const { history } = options;
    if (!history) return sync(orm, payload, options);
    const run = runOf(payload, options, history);
    // whether the attempt that committed wrote the row (each attempt sets it anew)
    let written = false;
    const beforeCommit: BeforeCommit = async (em, result) => {
      written = false;
      written = await writeInTransaction(em, run(succeeded(result)));
    };
    // upsync_sync_run as the database had it at start, db:setup or the last readiness check
    const inTransaction = !options.dryRun && internalsOf(orm).historyTable;
    try {
      const result = await sync(orm, payload, options, inTransaction ? beforeCommit : undefined);
      if (written) report(history, null);
      else await recordAfter(orm, history, run(succeeded(result)));
      return result;
    } catch (error) {
      const e = error instanceof SyncError ? error : internalError(error);
      await recordAfter(
        orm,
        history,
        run({ outcome: 'failed', errorCode: e.code, errorDetail: e.message, errorPath: e.path }),
      );
      throw error;
    }
  };
}

/** The history row of this sync, from what its outcome adds. */
function runOf(payload: unknown, options: SyncOptions, history: SyncHistoryOptions) {
  const startedAt = new Date();
  return (fields: Partial<SyncRunRecord>): SyncRunRecord => ({
    startedAt,
    principal: history.principal,
    dryRun: options.dryRun ?? false,
    reconcile: options.reconcile ?? false,
    outcome: 'succeeded',
    durationMs: Date.now() - startedAt.getTime(),
    payload,
    storePayload: history.storePayload ?? false,
    replayOf: history.replayOf,
    requestId: history.requestId,
    ...fields,
  });
}

function succeeded(result: TSyncResult): Partial<SyncRunRecord> {
  return {
    proposalCode: result.proposal.proposalCode,
    proposalNumber: result.proposal.proposalNumber,
    summary: result.summary,
    warnings: result.warnings,
  };
}

/**
 * The row of a succeeded sync, in its transaction: true when written. A deadlock, a lost
 * connection or a certification failure is the attempt's, retried or reported like any other;
 * any other failure (the table dropped, a trigger refusing) is the history's: only that statement
 * was undone, the sync commits without it, and the row is tried again after commit.
 */
async function writeInTransaction(em: SqlEntityManager, record: SyncRunRecord): Promise<boolean> {
  const { sql, params } = syncRunStatement(record);
  try {
    await em.execute(sql, params, 'run');
    return true;
  } catch (error) {
    if (isRetryable(error) || isUnavailable(error) || isConnectionLost(error)) throw error;
    return false;
  }
}

async function recordAfter(orm: UpsyncOrm, history: SyncHistoryOptions, record: SyncRunRecord) {
  let failure: SyncError | null = null;
  await recordSyncRun(orm, record, { onError: (e) => (failure = e) });
  report(history, failure);
}

function report(history: SyncHistoryOptions, error: SyncError | null): void {
  try {
    history.onRecorded?.(error);
  } catch {
    // a failing reporter must not turn into a failed sync
  }
}
