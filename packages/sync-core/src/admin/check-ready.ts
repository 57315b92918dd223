import { internalsOf, type UpsyncOrm } from '../orm/internals.js';

/** Readiness: the database answers, ISPyB's tables are there, and (MariaDB) upsync's lock table. */
export async function checkReady(orm: UpsyncOrm): Promise<{ ok: boolean; problems: string[] }> {
  const internals = internalsOf(orm);
  const problems: string[] = [];
  try {
    await internals.orm.em.getConnection().execute('SELECT 1');
  } catch {
    return { ok: false, problems: ['the database does not answer'] };
  }
  for (const table of orm.schemaReport.missingTables) problems.push(`ISPyB table ${table} is missing`);
  if (orm.dialect === 'mysql' && !internals.lockTable) {
    const rows = (await internals.orm.em
      .getConnection()
      .execute(
        "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'upsync_lock'",
      )) as { n: number }[];
    if (Number(rows[0]?.n ?? 0) > 0) internals.lockTable = true;
    else problems.push('upsync_lock is missing: run `npm run db:setup`');
  }
  return { ok: problems.length === 0, problems };
}
