import { ISPYB_TABLES } from '@upsync/schema';
import type mysql from 'mysql2/promise';
import type { JsonObject } from './payloads.js';

/**
 * Identity keys that must be unique after any number of syncs (the schema does not enforce them).
 * Each check returns one row per duplicated key, with the ids of the rows sharing it.
 */
export const DUPLICATE_CHECKS: Record<string, string> = {
  'Person.externalId': dup('Person', 'personId', 'externalId', 'externalId IS NOT NULL'),
  'Person.login': dup('Person', 'personId', 'login', 'login IS NOT NULL'),
  'Laboratory.laboratoryExtPk': dup(
    'Laboratory',
    'laboratoryId',
    'laboratoryExtPk',
    'laboratoryExtPk IS NOT NULL',
  ),
  'Laboratory(name,city,country)': dup(
    'Laboratory',
    'laboratoryId',
    'name, city, country',
    'laboratoryExtPk IS NULL',
  ),
  'Proposal.externalId': dup('Proposal', 'proposalId', 'externalId', 'externalId IS NOT NULL'),
  'Proposal(code,number)': dup('Proposal', 'proposalId', 'proposalCode, proposalNumber'),
  'ProposalHasPerson(proposalId,personId)': dup(
    'ProposalHasPerson',
    'proposalHasPersonId',
    'proposalId, personId',
  ),
  'Session_has_Person(sessionId,personId)': dup('Session_has_Person', 'sessionId', 'sessionId, personId'),
  'BLSession.externalId': dup('BLSession', 'sessionId', 'externalId', 'externalId IS NOT NULL'),
  'BLSession(proposalId,expSessionPk)': dup(
    'BLSession',
    'sessionId',
    'proposalId, expSessionPk',
    'expSessionPk IS NOT NULL',
  ),
  'Protein.externalId': dup('Protein', 'proteinId', 'externalId', 'externalId IS NOT NULL'),
  'Protein(proposalId,acronym)': dup('Protein', 'proteinId', 'proposalId, acronym'),
};

function dup(table: string, id: string, key: string, where?: string): string {
  return `SELECT '${id}' AS idColumn, GROUP_CONCAT(${id} ORDER BY ${id}) AS ids FROM ${table}${where ? ` WHERE ${where}` : ''} GROUP BY ${key} HAVING COUNT(*) > 1`;
}

/** One duplicated key: the id column and the ids of the rows that share it. */
export interface DuplicateGroup {
  check: string;
  idColumn: string;
  ids: number[];
}

/** Every duplicated identity key, with the rows sharing it. */
export async function duplicateGroups(conn: mysql.Connection): Promise<DuplicateGroup[]> {
  const groups: DuplicateGroup[] = [];
  for (const [check, sql] of Object.entries(DUPLICATE_CHECKS)) {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(sql);
    for (const r of rows)
      groups.push({ check, idColumn: String(r.idColumn), ids: String(r.ids).split(',').map(Number) });
  }
  return groups;
}

/** Rows pointing at rows that do not exist, and proposals left without any participant. */
export const ORPHAN_CHECKS: Record<string, string> = {
  'ProposalHasPerson→Person/Proposal':
    'SELECT x.proposalHasPersonId FROM ProposalHasPerson x LEFT JOIN Person p ON p.personId = x.personId LEFT JOIN Proposal q ON q.proposalId = x.proposalId WHERE p.personId IS NULL OR q.proposalId IS NULL',
  'Session_has_Person→Person/BLSession':
    'SELECT x.sessionId FROM Session_has_Person x LEFT JOIN Person p ON p.personId = x.personId LEFT JOIN BLSession s ON s.sessionId = x.sessionId WHERE p.personId IS NULL OR s.sessionId IS NULL',
  'LabContact→Person/Proposal':
    'SELECT x.labContactId FROM LabContact x LEFT JOIN Person p ON p.personId = x.personId LEFT JOIN Proposal q ON q.proposalId = x.proposalId WHERE p.personId IS NULL OR q.proposalId IS NULL',
  'Protein→Proposal/Person':
    'SELECT x.proteinId FROM Protein x LEFT JOIN Proposal q ON q.proposalId = x.proposalId LEFT JOIN Person p ON p.personId = x.personId WHERE q.proposalId IS NULL OR (x.personId IS NOT NULL AND p.personId IS NULL)',
  'BLSession→Proposal':
    'SELECT x.sessionId FROM BLSession x LEFT JOIN Proposal q ON q.proposalId = x.proposalId WHERE q.proposalId IS NULL',
  'Proposal→Person':
    'SELECT x.proposalId FROM Proposal x LEFT JOIN Person p ON p.personId = x.personId WHERE p.personId IS NULL',
  'Person→Laboratory':
    'SELECT x.personId FROM Person x LEFT JOIN Laboratory l ON l.laboratoryId = x.laboratoryId WHERE x.laboratoryId IS NOT NULL AND l.laboratoryId IS NULL',
  'Proposal without participants (half-written)':
    'SELECT q.proposalId FROM Proposal q WHERE NOT EXISTS (SELECT 1 FROM ProposalHasPerson x WHERE x.proposalId = q.proposalId)',
};

/** Runs checks; returns `{ name: offending row count }` for every check that found rows. */
export async function violations(
  conn: mysql.Connection,
  checks: Record<string, string>,
): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const [name, sql] of Object.entries(checks)) {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(sql);
    if (rows.length > 0) found[name] = rows.length;
  }
  return found;
}

/** Duplicates and orphans together (empty when the database is consistent). */
export async function integrityViolations(conn: mysql.Connection): Promise<Record<string, number>> {
  return { ...(await violations(conn, DUPLICATE_CHECKS)), ...(await violations(conn, ORPHAN_CHECKS)) };
}

/** Row counts of the eight ISPyB tables, to compare a database before and after a failed sync. */
export async function tableCounts(conn: mysql.Connection): Promise<Record<string, number>> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    ISPYB_TABLES.map((t) => `SELECT '${t}' AS t, COUNT(*) AS n FROM \`${t}\``).join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [String(r.t), Number(r.n)]));
}

/** What one node holds of a typical payload's proposal: absent, complete, or half-written. */
export async function proposalState(conn: mysql.Connection, payload: JsonObject) {
  const number = (payload.proposal as JsonObject).proposalNumber;
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT q.proposalId,
       (SELECT COUNT(*) FROM ProposalHasPerson x WHERE x.proposalId = q.proposalId) AS participants,
       (SELECT COUNT(*) FROM BLSession s WHERE s.proposalId = q.proposalId) AS sessions,
       (SELECT COUNT(*) FROM Session_has_Person x JOIN BLSession s USING (sessionId) WHERE s.proposalId = q.proposalId) AS sessionPersons,
       (SELECT COUNT(*) FROM Protein p WHERE p.proposalId = q.proposalId) AS proteins,
       (SELECT COUNT(*) FROM LabContact c WHERE c.proposalId = q.proposalId) AS labContacts
     FROM Proposal q WHERE q.proposalNumber = ?`,
    [number],
  );
  if (rows.length === 0) return 'absent';
  if (rows.length > 1) return `duplicated (${rows.length})`;
  const r = rows[0]!;
  const complete =
    Number(r.participants) === 3 &&
    Number(r.sessions) === 2 &&
    Number(r.sessionPersons) === 4 &&
    Number(r.proteins) === 2 &&
    Number(r.labContacts) === 2;
  return complete ? 'complete' : `half-written ${JSON.stringify(r)}`;
}
