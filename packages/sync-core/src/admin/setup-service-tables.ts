import { internalsOf, type UpsyncOrm } from '../orm/internals.js';
import { sqlStatements } from './sql-file.js';

/** Creates upsync's own tables (the lock table) on MariaDB/MySQL; idempotent. An explicit command only. */
export async function setupServiceTables(orm: UpsyncOrm): Promise<{ created: string[] }> {
  const internals = internalsOf(orm);
  if (orm.dialect !== 'mysql') return { created: [] };
  const conn = internals.orm.em.getConnection();
  for (const sql of sqlStatements('upsync-tables.mariadb.sql')) await conn.execute(sql, [], 'run');
  const had = internals.lockTable;
  internals.lockTable = true;
  return { created: had ? [] : ['upsync_lock'] };
}
