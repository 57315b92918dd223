import { marks } from '../db/sql.js';
import { rollUpSyncStats } from '../history/roll-up-stats.js';
import { internalsOf, type UpsyncOrm } from '../orm/internals.js';
import { sqlStatements } from './sql-file.js';

/** upsync's own tables on MariaDB/MySQL (never ISPyB tables). */
export const SERVICE_TABLES = [
  'upsync_lock',
  'upsync_sync_run',
  'upsync_sync_stat',
  'upsync_sync_stat_mark',
] as const;

/** The service tables that exist in the connected MariaDB/MySQL database. */
export async function existingServiceTables(orm: UpsyncOrm): Promise<Set<string>> {
  const conn = internalsOf(orm).orm.em.getConnection();
  const rows = (await conn.execute(
    `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${marks(SERVICE_TABLES.length)})`,
    [...SERVICE_TABLES],
  )) as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/**
 * Creates upsync's own tables (the lock table, the sync history and its counts) on MariaDB/MySQL,
 * or upgrades them (columns and indexes added since, counts of the existing history); idempotent.
 * An explicit command only. On SQLite they are created on first use.
 */
export async function setupServiceTables(orm: UpsyncOrm): Promise<{ created: string[] }> {
  const internals = internalsOf(orm);
  if (orm.dialect !== 'mysql') return { created: [] };
  const before = await existingServiceTables(orm);
  const conn = internals.orm.em.getConnection();
  for (const sql of sqlStatements('upsync-tables.mariadb.sql')) await conn.execute(sql, [], 'run');
  internals.lockTable = true;
  internals.historyTable = true;
  // the counts of the history so far (all of it after an upgrade), so that the first syncStats is fast
  await rollUpSyncStats(orm, { settleMs: 0 });
  return { created: SERVICE_TABLES.filter((t) => !before.has(t)) };
}
