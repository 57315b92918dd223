import { ISPYB_TABLES } from '@upsync/schema';
import type mysql from 'mysql2/promise';

/** Identity keys that must be unique after any number of syncs (the schema does not enforce them). */
export const DUPLICATE_CHECKS: Record<string, string> = {
  'Person.externalId':
    'SELECT externalId FROM Person WHERE externalId IS NOT NULL GROUP BY externalId HAVING COUNT(*) > 1',
  'Person.login': 'SELECT login FROM Person WHERE login IS NOT NULL GROUP BY login HAVING COUNT(*) > 1',
  'Laboratory.laboratoryExtPk':
    'SELECT laboratoryExtPk FROM Laboratory WHERE laboratoryExtPk IS NOT NULL GROUP BY laboratoryExtPk HAVING COUNT(*) > 1',
  'Laboratory(name,city,country)':
    'SELECT name FROM Laboratory WHERE laboratoryExtPk IS NULL GROUP BY name, city, country HAVING COUNT(*) > 1',
  'Proposal.externalId':
    'SELECT externalId FROM Proposal WHERE externalId IS NOT NULL GROUP BY externalId HAVING COUNT(*) > 1',
  'Proposal(code,number)':
    'SELECT proposalCode FROM Proposal GROUP BY proposalCode, proposalNumber HAVING COUNT(*) > 1',
  'ProposalHasPerson(proposalId,personId)':
    'SELECT proposalId FROM ProposalHasPerson GROUP BY proposalId, personId HAVING COUNT(*) > 1',
  'Session_has_Person(sessionId,personId)':
    'SELECT sessionId FROM Session_has_Person GROUP BY sessionId, personId HAVING COUNT(*) > 1',
  'BLSession.externalId':
    'SELECT externalId FROM BLSession WHERE externalId IS NOT NULL GROUP BY externalId HAVING COUNT(*) > 1',
  'BLSession(proposalId,expSessionPk)':
    'SELECT proposalId FROM BLSession WHERE expSessionPk IS NOT NULL GROUP BY proposalId, expSessionPk HAVING COUNT(*) > 1',
  'Protein.externalId':
    'SELECT externalId FROM Protein WHERE externalId IS NOT NULL GROUP BY externalId HAVING COUNT(*) > 1',
  'Protein(proposalId,acronym)':
    'SELECT proposalId FROM Protein GROUP BY proposalId, acronym HAVING COUNT(*) > 1',
};

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
