import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { closeOrm, createOrm, listSyncRuns, readProposal, syncProposal } from '../src/index.js';
import { embeddedSchemaStatements } from '../src/orm/embedded-schema.js';
import { internalsOf } from '../src/orm/internals.js';
import { createTestSqliteDatabase, type TestDatabase } from '../src/testing/index.js';

// An embedded database made by an earlier version (the hand-written DDL of test/fixtures) is brought
// up to date when it is opened: what the entities declare since is added, nothing is rebuilt.

const V0 = readFileSync(new URL('./fixtures/embedded-v0.sqlite.sql', import.meta.url), 'utf8');

/** The stored CREATE statements of a file, by name. */
function definitions(path: string): Map<string, string> {
  const db = new DatabaseSync(path);
  try {
    const rows = db.prepare('SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL').all() as {
      name: string;
      sql: string;
    }[];
    return new Map(rows.map((r) => [r.name, r.sql]));
  } finally {
    db.close();
  }
}

const payload = (modId?: string) => ({
  proposal: { proposalCode: 'OLD', proposalNumber: '1', persons: [{ login: 'elder', familyName: 'Elder' }] },
  proteins: [{ acronym: 'LYS', name: 'Lysozyme', person: { login: 'elder' }, ...(modId ? { modId } : {}) }],
});

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
});

describe('an embedded database made by an earlier version', () => {
  it('gets the columns and indexes declared since, keeps its rows, and syncs', async () => {
    const db = createTestSqliteDatabase('embedded_v0');
    databases.push(db);
    const path = db.url.slice('sqlite:'.length);
    // the earlier version's file, from before Protein.modId was declared, holding one proposal
    const old = new DatabaseSync(path);
    old.exec(V0);
    old.exec('ALTER TABLE Protein DROP COLUMN modId');
    old.exec(`INSERT INTO Person (login, familyName) VALUES ('elder', 'Elder');
      INSERT INTO Proposal (personId, proposalCode, proposalNumber) VALUES (1, 'OLD', '1');
      INSERT INTO ProposalHasPerson (proposalId, personId) VALUES (1, 1);
      INSERT INTO Protein (proposalId, personId, acronym, name) VALUES (1, 1, 'LYS', 'Lysozyme')`);
    old.close();
    const before = definitions(path);

    const orm = await createOrm({ databaseUrl: db.url });
    try {
      const after = definitions(path);
      // only added: every table but Protein stored as it was (no table rebuilt), Protein one column more
      for (const [name, sql] of before) if (name !== 'Protein') expect(after.get(name), name).toBe(sql);
      expect(after.get('Protein')).toMatch(/`modId` text null\)$/);
      expect([...after.keys()].filter((n) => /temp_alter/.test(n))).toEqual([]);
      expect(after.get('Person_laboratoryId_index')).toBeDefined();
      // a second look finds nothing left to do
      expect(await embeddedSchemaStatements(internalsOf(orm).orm)).toEqual([]);

      // the rows it held are the ones the sync finds: nothing created, the new field written
      const first = await syncProposal(orm, payload('M1'), { history: { principal: 'test' } });
      expect(first.summary.proposal).toMatchObject({ created: 0, unchanged: 1 });
      expect(first.summary.proteins).toMatchObject({ created: 0, updated: 1 });
      const snapshot = await readProposal(orm, 'OLD', '1');
      expect(snapshot?.proposal.proposalId).toBe(1);
      expect(snapshot?.proteins[0]).toMatchObject({ proteinId: 1, acronym: 'LYS', modId: 'M1' });

      const again = await syncProposal(orm, payload('M1'), { history: { principal: 'test' } });
      expect(again.summary.proteins).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
      const runs = await listSyncRuns(orm, { proposal: 'OLD-1' });
      expect(runs.runs.map((r) => r.outcomeClass)).toEqual(['unchanged', 'changed']);
    } finally {
      await closeOrm(orm);
    }
    // opened again: nothing changes
    const upgraded = definitions(path);
    await closeOrm(await createOrm({ databaseUrl: db.url }));
    expect(definitions(path)).toEqual(upgraded);
  });
});
