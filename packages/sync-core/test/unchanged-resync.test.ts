import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSyncRuns, syncProposal, type UpsyncOrm } from '../src/index.js';
import { countStatements } from '../src/testing/index.js';
import { example, openTarget, sql, TARGETS } from './support/targets.js';

const history = { history: { principal: 'portal' } };
const begins = (statements: string[]) => statements.filter((s) => /^\s*(begin|start transaction)/i.test(s));

describe.each(TARGETS)('an unchanged re-sync on $dialect', (target) => {
  let orm: UpsyncOrm;
  let close: () => Promise<void>;
  beforeAll(async () => {
    if (target.skip) return;
    ({ orm, close } = await openTarget(target, 'unchanged_resync'));
  });
  afterAll(async () => close?.());

  it.skipIf(target.skip)(
    'writes to no table in a transaction: no BEGIN, no lock, only its history row after it',
    async () => {
      const payload = example('pyispyb-create');
      await syncProposal(orm, payload, history);
      const { result, counts } = await countStatements(orm, () => syncProposal(orm, payload, history));
      expect(result.summary.proposal).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
      expect(begins(counts.statements)).toEqual([]);
      expect(counts.transaction).toBe(0);
      expect(counts.lock).toBe(0);
      expect(counts.ispybWrites).toBe(0);
      // the one write: its history row, autocommit, after the read
      const writes = counts.statements.filter((s) => /^\s*(insert|update|delete)/i.test(s));
      expect(writes).toHaveLength(1);
      expect(writes[0]).toMatch(/upsync_sync_run/);
      expect(counts.statements.at(-1)).toMatch(/upsync_sync_run/);
      const runs = await listSyncRuns(orm, { proposal: 'I-20140076' });
      expect(runs.runs.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded']);
    },
  );

  it.skipIf(target.skip)(
    'a changed payload goes straight to the locking transaction, its history row in it',
    async () => {
      const payload = example('pyispyb-create');
      payload.proposal.title = 'a new title';
      const { result, counts } = await countStatements(orm, () => syncProposal(orm, payload, history));
      expect(result.summary.proposal).toMatchObject({ updated: 1 });
      // no read before the transaction: BEGIN is the first statement
      expect(counts.statements[0]).toMatch(/^\s*(begin|start transaction)/i);
      if (target.dialect === 'mysql') expect(counts.lock).toBe(1);
      const row = counts.statements.findIndex((s) => /upsync_sync_run/.test(s));
      const commit = counts.statements.findIndex((s) => /^\s*commit/i.test(s));
      expect(row).toBeGreaterThan(-1);
      expect(row).toBeLessThan(commit);
    },
  );

  it.skipIf(target.skip)(
    'a row changed behind its back: the read finds the change, the sync starts again under the locks and writes it',
    async () => {
      const payload = example('pyispyb-create');
      payload.proposal.title = 'a new title';
      await sql(orm, "UPDATE Proposal SET title = 'changed elsewhere' WHERE proposalNumber = '20140076'");
      const { result, counts } = await countStatements(orm, () => syncProposal(orm, payload, history));
      expect(result.summary.proposal).toMatchObject({ updated: 1 });
      expect(result.entities.proposal[0]?.changedFields).toEqual(['title']);
      // the read first (no lock), then the attempt from nothing: BEGIN, the lock, the look-ups again
      const begin = counts.statements.findIndex((s) => /^\s*(begin|start transaction)/i.test(s));
      expect(begin).toBeGreaterThan(0);
      expect(counts.statements.slice(0, begin).every((s) => /^\s*select/i.test(s))).toBe(true);
      if (target.dialect === 'mysql') expect(counts.statements[begin + 1]).toMatch(/upsync_lock/);
      expect(await sql(orm, "SELECT title FROM Proposal WHERE proposalNumber = '20140076'")).toEqual([
        { title: 'a new title' },
      ]);
    },
  );
});
