import { q } from '../db/sql.js';
import { internalsOf, type UpsyncOrm } from '../orm/internals.js';

/** Indexes on the sync's lookup columns, which the official ISPyB schema leaves unindexed. */
export const OPTIONAL_INDEXES = [
  { table: 'Person', name: 'upsync_Person_externalId', columns: ['externalId'] },
  { table: 'Proposal', name: 'upsync_Proposal_externalId', columns: ['externalId'] },
  { table: 'Laboratory', name: 'upsync_Laboratory_laboratoryExtPk', columns: ['laboratoryExtPk'] },
  { table: 'Laboratory', name: 'upsync_Laboratory_name_city_country', columns: ['name', 'city', 'country'] },
  { table: 'Protein', name: 'upsync_Protein_externalId', columns: ['externalId'] },
  { table: 'BLSession', name: 'upsync_BLSession_externalId', columns: ['externalId'] },
  {
    table: 'BLSession',
    name: 'upsync_BLSession_proposalId_expSessionPk',
    columns: ['proposalId', 'expSessionPk'],
  },
] as const;

/**
 * Adds the optional lookup indexes (idempotent: existing ones, by name, are kept; one on a column
 * this deployment lacks is skipped). An explicit command only.
 */
export async function migrateIndexes(orm: UpsyncOrm) {
  const internals = internalsOf(orm);
  const conn = internals.orm.em.getConnection();
  const report = { created: [] as string[], existing: [] as string[], skipped: [] as string[] };
  const existing = await existingIndexNames(orm);
  for (const index of OPTIONAL_INDEXES) {
    if (!index.columns.every((c) => internals.columns.get(index.table)?.has(c)))
      report.skipped.push(index.name);
    else if (existing.has(index.name)) report.existing.push(index.name);
    else {
      const cols = index.columns.map(q).join(', ');
      await conn.execute(`CREATE INDEX ${q(index.name)} ON ${q(index.table)} (${cols})`, [], 'run');
      report.created.push(index.name);
    }
  }
  return report;
}

async function existingIndexNames(orm: UpsyncOrm): Promise<Set<string>> {
  const conn = internalsOf(orm).orm.em.getConnection();
  const sql =
    orm.dialect === 'mysql'
      ? 'SELECT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()'
      : "SELECT name FROM sqlite_master WHERE type = 'index'";
  const rows = (await conn.execute(sql)) as { name: string }[];
  return new Set(rows.map((r) => r.name));
}
