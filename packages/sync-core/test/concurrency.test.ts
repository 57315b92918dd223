import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeOrm, createOrm, syncProposal, type UpsyncOrm } from '../src/index.js';
import { internalsOf } from '../src/orm/internals.js';
import { countStatements, createTestSqliteDatabase, type TestDatabase } from '../src/testing/index.js';
import { MARIADB, sql } from './support/targets.js';

// 20 proposals over 8 shared persons and 3 shared laboratories: every pair of proposals overlaps
function proposal(n: number) {
  const lab = (k: number) => ({ name: `Lab${k}`, city: 'Hamburg', country: 'DE' });
  const person = (k: number) => ({
    login: `shared${k}`,
    externalId: 500 + k,
    familyName: `P${k}`,
    laboratory: lab(k % 3),
  });
  const ids = [n % 8, (n + 1) % 8, (n + 3) % 8, 0];
  return {
    proposal: {
      proposalCode: 'CC',
      proposalNumber: String(n % 10), // two pushes per proposal: same identity from two portals
      persons: [...new Set(ids)].map(person),
    },
    sessions: [
      { externalId: 9000 + (n % 10), persons: [{ ...person(ids[0]!), session_options: { role: 'Staff' } }] },
    ],
  };
}

describe.skipIf(MARIADB.skip)('concurrency on MariaDB: two servers, 20 overlapping syncs', () => {
  let db: TestDatabase;
  let servers: UpsyncOrm[] = [];
  beforeAll(async () => {
    db = await MARIADB.database('concurrency');
    servers = [await createOrm({ databaseUrl: db.url }), await createOrm({ databaseUrl: db.url })];
  });
  afterAll(async () => {
    for (const s of servers) await closeOrm(s);
    await db?.drop();
  });

  it('ends with one row per identity and one ProposalHasPerson per pair; all succeed', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, n) => syncProposal(servers[n % 2]!, proposal(n))),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const orm = servers[0]!;
    expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Person')).toEqual([{ n: 8 }]);
    expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Laboratory')).toEqual([{ n: 3 }]);
    expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Proposal')).toEqual([{ n: 10 }]);
    expect(await sql(orm, 'SELECT COUNT(*) AS n FROM BLSession')).toEqual([{ n: 10 }]);
    const dupPairs = await sql(
      orm,
      'SELECT proposalId, personId FROM ProposalHasPerson GROUP BY proposalId, personId HAVING COUNT(*) > 1',
    );
    expect(dupPairs).toEqual([]);
    const pairs = await sql<{ n: number }>(orm, 'SELECT COUNT(*) AS n FROM ProposalHasPerson');
    const expected = new Set(
      Array.from({ length: 20 }, (_, n) =>
        proposal(n).proposal.persons.map((p) => `${n % 10}:${p.login}`),
      ).flat(),
    );
    expect(Number(pairs[0]!.n)).toBe(expected.size);
  });

  it('runs READ COMMITTED on every pooled connection without a SET per sync', async () => {
    const orm = servers[1]!;
    const { counts } = await countStatements(orm, () => syncProposal(orm, proposal(3)));
    expect(counts.statements.filter((s) => /^\s*set\s+transaction/i.test(s))).toEqual([]);
    // several connections at once, so the check is not answered by one lucky connection
    const levels = await Promise.all(
      Array.from({ length: 4 }, () => sql<{ level: string }>(orm, 'SELECT @@tx_isolation AS level')),
    );
    expect(levels.flat().map((r) => r.level)).toEqual(Array(4).fill('READ-COMMITTED'));
  });

  it('locks without writing: only a changing sync on Galera bumps upsync_lock', async () => {
    const orm = servers[0]!;
    const lockSum = async () => (await sql<{ s: number }>(orm, 'SELECT SUM(n) AS s FROM upsync_lock'))[0]!.s;
    const payload = proposal(0);
    await syncProposal(orm, payload);
    const settled = Number(await lockSum());
    // nothing changes: no ISPyB write, so no lock-table write (and no redo-log flush at COMMIT)
    await syncProposal(orm, payload);
    expect(Number(await lockSum())).toBe(settled);
    // one server: a real change needs no lock-table write either (the X-locks serialise writers)
    expect(internalsOf(orm).galera).toBe(false);
    await syncProposal(orm, { ...payload, proposal: { ...payload.proposal, title: 'changed' } });
    expect(Number(await lockSum())).toBe(settled);
    // on a Galera node (wsrep_on) it bumps the stripes, so writers on two nodes conflict at certification
    internalsOf(orm).galera = true;
    try {
      await syncProposal(orm, { ...payload, proposal: { ...payload.proposal, title: 'changed again' } });
    } finally {
      internalsOf(orm).galera = false;
    }
    expect(Number(await lockSum())).toBeGreaterThan(settled);
  });
});

describe('concurrency on the embedded SQLite database: 20 overlapping syncs in one process', () => {
  it('serialises them: one row per identity', async () => {
    const db = createTestSqliteDatabase('core_concurrency');
    const orm = await createOrm({ databaseUrl: db.url });
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, n) => syncProposal(orm, proposal(n))),
      );
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Person')).toEqual([{ n: 8 }]);
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Proposal')).toEqual([{ n: 10 }]);
    } finally {
      await closeOrm(orm);
      await db.drop();
    }
  });
});
