import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkReady,
  type SyncError,
  setupServiceTables,
  syncProposal,
  type UpsyncOrm,
} from '../src/index.js';
import { internalsOf } from '../src/orm/internals.js';
import { countStatements } from '../src/testing/index.js';
import { example, openTarget, sql, TARGETS } from './support/targets.js';

const begins = (statements: string[]) => statements.filter((s) => /^\s*(begin|start transaction)/i.test(s));

/** Where the sync's history row went: in its transaction (before COMMIT), after it, or nowhere. */
function historyRow(statements: string[]): 'in the transaction' | 'after it' | 'none' {
  const row = statements.findIndex((s) => /^\s*insert into upsync_sync_run/i.test(s));
  const commit = statements.findIndex((s) => /^\s*commit/i.test(s));
  if (row < 0) return 'none';
  return commit >= 0 && row < commit ? 'in the transaction' : 'after it';
}

/** One recorded sync of `payload`: its statements and what onRecorded was told. */
async function recordedSync(orm: UpsyncOrm, payload: unknown) {
  const reports: (SyncError | null)[] = [];
  const { counts } = await countStatements(orm, () =>
    syncProposal(orm, payload, { history: { principal: 'portal', onRecorded: (e) => reports.push(e) } }),
  );
  return { statements: counts.statements, reports };
}

// issue 26: one sync's failure must not change what later syncs do, unless that is the point
describe.each(TARGETS)('state one sync leaves for the next on $dialect', (target) => {
  let orm: UpsyncOrm;
  let close: () => Promise<void>;
  let n = 0;
  /** A payload of its own proposal, so that no test's hint or rows meet another's. */
  const fresh = () => {
    const payload = example('pyispyb-create');
    payload.proposal.proposalNumber = `STATE-${++n}`;
    payload.proposal.externalId = 7000 + n;
    return payload;
  };
  beforeAll(async () => {
    if (target.skip) return;
    ({ orm, close } = await openTarget(target, 'history_state'));
  });
  afterAll(async () => close?.());

  it.skipIf(target.skip)(
    'a history row refused in the transaction: the sync commits once, without its row, and is not run again',
    async () => {
      const trigger =
        target.dialect === 'mysql'
          ? "CREATE TRIGGER state_refuse BEFORE INSERT ON upsync_sync_run FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'"
          : "CREATE TRIGGER state_refuse BEFORE INSERT ON upsync_sync_run BEGIN SELECT RAISE(ABORT, 'injected'); END";
      await sql(orm, trigger);
      const payload = fresh();
      try {
        const { statements, reports } = await recordedSync(orm, payload);
        expect(begins(statements)).toHaveLength(1);
        expect(reports.map((r) => r?.code)).toEqual(['INTERNAL']);
      } finally {
        await sql(orm, 'DROP TRIGGER state_refuse');
      }
      const rows = await sql(orm, 'SELECT proposalId FROM Proposal WHERE proposalNumber = ?', [
        payload.proposal.proposalNumber,
      ]);
      expect(rows).toHaveLength(1);
    },
  );

  it.skipIf(target.skip)(
    'a history table missing for one sync switches nothing: once it is back, the next sync records in its transaction',
    async () => {
      await sql(orm, 'ALTER TABLE upsync_sync_run RENAME TO upsync_sync_run_away');
      try {
        const away = await recordedSync(orm, fresh());
        expect(away.reports.map((r) => r?.code)).toEqual(['SCHEMA_MISMATCH']);
        expect(internalsOf(orm).historyTable).toBe(true);
      } finally {
        await sql(orm, 'ALTER TABLE upsync_sync_run_away RENAME TO upsync_sync_run');
      }
      // no readiness check, no db:setup in between
      const back = await recordedSync(orm, fresh());
      expect(back.reports).toEqual([null]);
      expect(historyRow(back.statements)).toBe('in the transaction');
    },
  );

  it.skipIf(target.skip || target.dialect !== 'mysql')(
    'the readiness check switches the in-transaction history row off when the table is missing, db:setup back on',
    async () => {
      await sql(orm, 'ALTER TABLE upsync_sync_run RENAME TO upsync_sync_run_away');
      try {
        expect((await checkReady(orm)).notes.join()).toMatch(/upsync_sync_run is missing/);
        expect(internalsOf(orm).historyTable).toBe(false);
        // known missing: not even tried in the transaction, only after it (and reported)
        const off = await recordedSync(orm, fresh());
        expect(historyRow(off.statements)).toBe('after it');
        expect(off.reports.map((r) => r?.code)).toEqual(['SCHEMA_MISMATCH']);
      } finally {
        await sql(orm, 'DROP TABLE IF EXISTS upsync_sync_run');
        await sql(orm, 'ALTER TABLE upsync_sync_run_away RENAME TO upsync_sync_run');
      }
      await setupServiceTables(orm);
      expect(internalsOf(orm).historyTable).toBe(true);
      const on = await recordedSync(orm, fresh());
      expect(on.reports).toEqual([null]);
      expect(historyRow(on.statements)).toBe('in the transaction');
    },
  );

  it.skipIf(target.skip)(
    'a failed sync is not remembered as last synced: the same payload then goes straight to the transaction',
    async () => {
      const payload = fresh();
      await syncProposal(orm, payload);
      payload.proposal.title = 'refused by the database';
      const trigger =
        target.dialect === 'mysql'
          ? "CREATE TRIGGER state_fail BEFORE UPDATE ON Proposal FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'"
          : "CREATE TRIGGER state_fail BEFORE UPDATE ON Proposal BEGIN SELECT RAISE(ABORT, 'injected'); END";
      await sql(orm, trigger);
      try {
        await expect(syncProposal(orm, payload)).rejects.toMatchObject({ code: 'CONSTRAINT_VIOLATION' });
      } finally {
        await sql(orm, 'DROP TRIGGER state_fail');
      }
      // remembered, it would be read first without a transaction (and found changed)
      const { result, counts } = await countStatements(orm, () => syncProposal(orm, payload));
      expect(result.summary.proposal.updated).toBe(1);
      expect(counts.statements[0]).toMatch(/^\s*(begin|start transaction)/i);
    },
  );
});
