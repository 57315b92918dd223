import { internalsOf, type UpsyncOrm } from '../orm/internals.js';
import { historyError } from './history-errors.js';

const DAY_MS = 86_400_000;

/** Deletes history rows that started more than `retentionDays` ago (0 keeps all); throws SyncError. */
export async function pruneSyncRuns(
  orm: UpsyncOrm,
  options: { retentionDays: number; now?: Date },
): Promise<{ deleted: number }> {
  if (!(options.retentionDays > 0)) return { deleted: 0 };
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionDays * DAY_MS);
  const run = (sql: string) =>
    internalsOf(orm)
      .orm.em.getConnection()
      .execute(sql, [cutoff.toISOString()], 'run')
      .catch((error: unknown) => {
        throw historyError(error);
      }) as Promise<{ affectedRows?: number; changes?: number }>;
  // startedAt is fixed-width ISO 8601 UTC text: string order is time order
  const result = await run('DELETE FROM upsync_sync_run WHERE startedAt < ?');
  // the rolled-up counts of whole buckets before the cutoff go with them (each grain its own prefix)
  await run('DELETE FROM upsync_sync_stat WHERE bucket < SUBSTR(?, 1, grain)');
  return { deleted: Number(result.affectedRows ?? result.changes ?? 0) };
}
