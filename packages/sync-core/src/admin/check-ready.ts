import { internalsOf, type UpsyncOrm } from '../orm/internals.js';
import { existingServiceTables } from './setup-service-tables.js';

export interface ReadyReport {
  /** Syncs can run. */
  ok: boolean;
  /** What stops syncs (the database does not answer, a table is missing). */
  problems: string[];
  /** What works in a degraded way: syncs run, but e.g. the sync history is not recorded. */
  notes: string[];
}

/** Readiness: the database answers, ISPyB's tables are there, and (MariaDB) upsync's lock table. */
export async function checkReady(orm: UpsyncOrm): Promise<ReadyReport> {
  const internals = internalsOf(orm);
  const conn = internals.orm.em.getConnection();
  const problems: string[] = [];
  const notes: string[] = [];
  try {
    await conn.execute('SELECT 1');
  } catch {
    return { ok: false, problems: ['the database does not answer'], notes };
  }
  if (internals.galera) {
    // a Galera node outside the primary component answers SELECT 1 but refuses every sync (1047)
    const rows: { Value?: string }[] = await conn.execute("SHOW STATUS LIKE 'wsrep_ready'").catch(() => []);
    if (!/^on$/i.test(rows[0]?.Value ?? ''))
      return { ok: false, problems: ['the Galera node is not ready (wsrep_ready is not ON)'], notes };
  }
  for (const table of orm.schemaReport.missingTables) problems.push(`ISPyB table ${table} is missing`);
  if (orm.dialect === 'mysql') {
    const tables = await existingServiceTables(orm);
    if (tables.has('upsync_lock')) internals.lockTable = true;
    else problems.push('upsync_lock is missing: run `npm run db:setup`');
    // the history is an audit trail, not a precondition of syncing: a note, not a problem
    internals.historyTable = tables.has('upsync_sync_run');
    if (!internals.historyTable)
      notes.push('upsync_sync_run is missing (the sync history is not recorded): run `npm run db:setup`');
    else if (!tables.has('upsync_sync_stat_mark'))
      // a table of an older version: its rows lack outcomeClass and replayOf, so none is written
      notes.push(
        'upsync_sync_run is from an older version (the sync history is not recorded, no statistics): run `npm run db:setup`',
      );
  }
  return { ok: problems.length === 0, problems, notes };
}
