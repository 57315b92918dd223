import type { SqlEntityManager } from '@mikro-orm/sql';
import { internalsOf, type UpsyncOrm } from '../orm/internals.js';
import { historyError } from './history-errors.js';
import { groupedRuns, ROLLUP_GRAINS } from './stats-sql.js';

/**
 * A run is rolled up once every run with a smaller id is surely committed: its id was the
 * highest a minute ago (a history row is the last statement of its transaction, or autocommit).
 */
export const SETTLE_MS = 60_000;
const ROLLUP_SLICE = 100_000;

type Mark = { lastId: number; pendingId: number; pendingAt: string };

/** The roll-up's mark (undefined: no row), read with `lock` appended. */
const readMark = async (execute: (sql: string) => Promise<unknown>, lock = ''): Promise<Mark | undefined> => {
  const [row] = (await execute(
    `SELECT lastId, pendingId, pendingAt FROM upsync_sync_stat_mark WHERE name = 'rolled'${lock}`,
  )) as Record<string, unknown>[];
  return (
    row && { lastId: Number(row.lastId), pendingId: Number(row.pendingId), pendingAt: String(row.pendingAt) }
  );
};

/**
 * Adds the settled runs not yet counted to upsync_sync_stat (counts per 10-minute, hour and day
 * bucket), so that syncStats reads a few thousand counts instead of every run of a week. Incremental by id:
 * runs with id in (lastId, pendingId] once pendingId has settled (SETTLE_MS; `settleMs: 0` when
 * no sync can be in flight, as in db:setup), in one transaction that locks the mark (concurrent
 * roll-ups wait, then find nothing left). Returns the id up to which runs are counted. Throws SyncError.
 */
export async function rollUpSyncStats(
  orm: UpsyncOrm,
  options: { settleMs?: number; now?: Date } = {},
): Promise<number> {
  const settleMs = options.settleMs ?? SETTLE_MS;
  const now = options.now ?? new Date();
  const settled = (mark: Mark) =>
    mark.pendingId > mark.lastId && Date.parse(mark.pendingAt) <= now.getTime() - settleMs;
  const root = internalsOf(orm).orm.em;
  try {
    // most calls: nothing due, decided without a lock
    const seen = await readMark((sql) => root.getConnection().execute(sql));
    if (seen && settleMs > 0 && seen.pendingId > seen.lastId && !settled(seen)) return seen.lastId;
    return await root.fork().transactional(async (em) => {
      const execute = (sql: string, params: unknown[] = []) => (em as SqlEntityManager).execute(sql, params);
      let mark = await readMark(execute, orm.dialect === 'mysql' ? ' FOR UPDATE' : '');
      if (!mark) throw new Error('upsync_sync_stat_mark has no row: run db:setup');
      const [max] = (await execute('SELECT COALESCE(MAX(id), 0) AS id FROM upsync_sync_run')) as {
        id: unknown;
      }[];
      const maxId = Number(max?.id ?? 0);
      if (settleMs === 0) mark = { ...mark, pendingId: maxId, pendingAt: now.toISOString() };
      if (settled(mark) || (settleMs === 0 && mark.pendingId > mark.lastId)) {
        const upsert =
          orm.dialect === 'mysql'
            ? 'ON DUPLICATE KEY UPDATE n = upsync_sync_stat.n + VALUES(n)'
            : 'WHERE true ON CONFLICT (grain, bucket, kind, k) DO UPDATE SET n = upsync_sync_stat.n + excluded.n';
        // a backlog (after an upgrade) in slices of ids: small temporary tables, steady progress
        for (let from = mark.lastId; from < mark.pendingId; from += ROLLUP_SLICE) {
          const range = `id > ${from} AND id <= ${Math.min(from + ROLLUP_SLICE, mark.pendingId)}`;
          for (const grain of ROLLUP_GRAINS) {
            await execute(
              `INSERT INTO upsync_sync_stat (grain, bucket, kind, k, n) SELECT ${grain}, b, kind, k, n FROM (${groupedRuns(grain, range)}) AS g ${upsert}`,
            );
          }
        }
        mark = { ...mark, lastId: mark.pendingId };
      }
      // the next candidate: today's highest id, rolled up once it has settled
      if (mark.pendingId <= mark.lastId && maxId > mark.lastId)
        mark = { ...mark, pendingId: maxId, pendingAt: now.toISOString() };
      await execute(
        "UPDATE upsync_sync_stat_mark SET lastId = ?, pendingId = ?, pendingAt = ? WHERE name = 'rolled'",
        [mark.lastId, mark.pendingId, mark.pendingAt],
      );
      return mark.lastId;
    });
  } catch (error) {
    throw historyError(error);
  }
}
