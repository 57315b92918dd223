import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchDatabase } from '../src/databases.js';
import { connect, countRows } from '../src/db.js';
import { integrityViolations } from '../src/invariants.js';
import { prefill } from '../src/prefill.js';
import { relDatabase } from './harness.js';
import { mariadbReachable } from './support.js';

const reachable = await mariadbReachable();

describe.skipIf(!reachable)('prefill against the project DDL', () => {
  let db: BenchDatabase;
  beforeAll(async () => {
    db = await relDatabase('prefill');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('fills N rows per table with consistent foreign keys and 16-byte externalIds', async () => {
    const conn = await connect(db.name);
    try {
      await prefill(conn, 2_000);
      for (const t of [
        'Laboratory',
        'Person',
        'Proposal',
        'BLSession',
        'Protein',
        'LabContact',
        'ProposalHasPerson',
      ])
        expect(await countRows(conn, t)).toBe(2_000);
      const [rows] = await conn.query<import('mysql2').RowDataPacket[]>(
        'SELECT HEX(externalId) AS hex, login FROM Person WHERE personId = 7',
      );
      expect(rows[0]).toEqual({ hex: '00000000000000000000000005F5E107', login: 'pf7' });
      await conn.query('SET foreign_key_checks = 1');
      // the prefilled database is consistent, and the checks do see duplicates and half-written rows
      expect(await integrityViolations(conn)).toEqual({});
      await conn.query(
        "INSERT INTO Person (login, externalId) SELECT login, externalId FROM Person WHERE personId = 7; INSERT INTO ProposalHasPerson (proposalId, personId) VALUES (7, 7); INSERT INTO Proposal (personId, proposalCode, proposalNumber) VALUES (1, 'ZZ', '1')",
      );
      expect(await integrityViolations(conn)).toEqual({
        'Person.externalId': 1,
        'Person.login': 1,
        'ProposalHasPerson(proposalId,personId)': 1,
        'Proposal without participants (half-written)': 1,
      });
    } finally {
      await conn.end();
    }
  });
});
