import type mysql from 'mysql2/promise';

/** Offset of prefilled keys, far from the payload generators' keys (which start at 1e9). */
export const PREFILL_KEY_BASE = 100_000_000;

/** 16-byte big-endian externalId of a prefilled row, as SQL (what py-ISPyB stores for integers). */
const extId = (expr: string) => `UNHEX(LPAD(HEX(${PREFILL_KEY_BASE} + ${expr}), 32, '0'))`;

/**
 * One INSERT … SELECT per table from MariaDB's sequence engine (`seq_1_to_N`): N laboratories,
 * persons, proposals, sessions, proteins, lab contacts, ProposalHasPerson and Session_has_Person rows,
 * with explicit ids 1..N (the database must be empty). Key columns are filled (externalId,
 * laboratoryExtPk, expSessionPk) so that un-indexed look-ups have something to scan.
 */
export function prefillStatements(n: number): string[] {
  if (!Number.isInteger(n) || n < 1) return [];
  const seq = `seq_1_to_${n}`;
  return [
    `INSERT INTO Laboratory (laboratoryId, name, address, city, country, laboratoryExtPk)
     SELECT seq, CONCAT('Prefill Lab ', seq), CONCAT(seq, ' Science Road'),
            ELT(1 + seq % 4, 'HAMBURG', 'GRENOBLE', 'LUND', 'DIDCOT'), ELT(1 + seq % 4, 'DE', 'FR', 'SE', 'GB'),
            ${PREFILL_KEY_BASE} + seq FROM ${seq}`,
    `INSERT INTO Person (personId, laboratoryId, siteId, familyName, givenName, emailAddress, login, externalId)
     SELECT seq, seq, seq, CONCAT('Family', seq), 'Given', CONCAT('p', seq, '@example.org'), CONCAT('pf', seq),
            ${extId('seq')} FROM ${seq}`,
    `INSERT INTO Proposal (proposalId, personId, title, proposalCode, proposalNumber, proposalType, externalId, state)
     SELECT seq, seq, CONCAT('Prefilled proposal ', seq), ELT(1 + seq % 3, 'MX', 'BX', 'IX'), CONCAT(seq), 'MX',
            ${extId('seq')}, 'Open' FROM ${seq}`,
    `INSERT INTO ProposalHasPerson (proposalId, personId) SELECT seq, seq FROM ${seq}`,
    `INSERT INTO BLSession (sessionId, proposalId, expSessionPk, startDate, endDate, beamLineName, scheduled, nbShifts,
            visit_number, lastUpdate, externalId)
     SELECT seq, seq, ${PREFILL_KEY_BASE} + seq, '2024-01-01 08:00:00' + INTERVAL seq MINUTE,
            '2024-01-02 08:00:00' + INTERVAL seq MINUTE, 'P11', 1, 3, 1, '2024-01-02 08:00:00', ${extId('seq')}
     FROM ${seq}`,
    `INSERT INTO Session_has_Person (sessionId, personId, role, remote) SELECT seq, seq, 'Team Leader', 0 FROM ${seq}`,
    `INSERT INTO Protein (proteinId, proposalId, name, acronym, personId, externalId)
     SELECT seq, seq, CONCAT('Protein ', seq), CONCAT('PF', seq), seq, ${extId('seq')} FROM ${seq}`,
    `INSERT INTO LabContact (labContactId, personId, cardName, proposalId)
     SELECT seq, seq, CONCAT('Prefill card ', seq), seq FROM ${seq}`,
  ];
}

/** Result of a prefill: rows per table and the time it took. */
export interface PrefillReport {
  n: number;
  ms: number;
}

/** Fills an empty ISPyB database with N rows per table (see prefillStatements), then ANALYZEs it. */
export async function prefill(conn: mysql.Connection, n: number): Promise<PrefillReport> {
  const start = Date.now();
  if (n > 0) {
    await conn.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
    for (const sql of prefillStatements(n)) {
      await conn.query('START TRANSACTION');
      await conn.query(sql);
      await conn.query('COMMIT');
    }
    await conn.query('SET SESSION foreign_key_checks = 1, unique_checks = 1');
    await conn.query(
      'ANALYZE TABLE Laboratory, Person, Proposal, ProposalHasPerson, BLSession, Session_has_Person, Protein, LabContact',
    );
  }
  return { n, ms: Date.now() - start };
}

/**
 * Waits (at most `maxMs`) until InnoDB has written the pages a prefill or an index build dirtied:
 * until the dirty page count is small or has stopped falling for a second (an idle server keeps a
 * few hundred dirty pages indefinitely). Measured: 100,000 rows leave ~3,800 dirty pages, written
 * at InnoDB's default pace (`innodb_io_capacity` = 200 pages/s) over ~20 s; a latency series timed
 * meanwhile measured 4.3 ms against 3.2–3.8 ms after the wait — a penalty only the large
 * configurations paid, which made N = 100,000 look 1.6× slower than N = 0. Returns how long it waited.
 */
export async function waitForFlush(conn: mysql.Connection, maxMs = 20_000): Promise<number> {
  const start = Date.now();
  const seen: number[] = [];
  for (;;) {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      "SELECT VARIABLE_VALUE AS v FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY'",
    );
    const dirty = Number(rows[0]?.v ?? 0);
    seen.push(dirty);
    const aSecondAgo = seen.length > 4 ? seen[seen.length - 5]! : Number.POSITIVE_INFINITY;
    if (dirty < 100 || dirty >= aSecondAgo || Date.now() - start > maxMs) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
