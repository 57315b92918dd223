import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkReady,
  closeOrm,
  createOrm,
  listSyncRuns,
  payloadSha256,
  pruneSyncRuns,
  recordSyncRun,
  SyncError,
  syncProposal,
  type UpsyncOrm,
} from '../src/index.js';
import { internalsOf } from '../src/orm/internals.js';
import {
  countStatements,
  createTestDatabase,
  createTestSqliteDatabase,
  type TestDatabase,
} from '../src/testing/index.js';
import { example, sql, TARGETS } from './support/targets.js';

const databaseFor = (dialect: string): Promise<TestDatabase> =>
  dialect === 'mysql'
    ? createTestDatabase('hist_core')
    : Promise.resolve(createTestSqliteDatabase('hist_core'));

/** A sync as the server runs it: recorded in the history, whatever happens. */
async function syncAndRecord(orm: UpsyncOrm, payload: unknown, options: { dryRun?: boolean } = {}) {
  const reports: (SyncError | null)[] = [];
  const history = { principal: 'portal', onRecorded: (e: SyncError | null) => reports.push(e) };
  try {
    const result = await syncProposal(orm, payload, { ...options, history });
    return { result, recorded: reports.length === 1 && reports[0] === null, reports };
  } catch (error) {
    return { error: error as SyncError, recorded: reports.length === 1 && reports[0] === null, reports };
  }
}

describe.each(TARGETS)('sync history on $dialect', (target) => {
  let orm: UpsyncOrm;
  let db: TestDatabase;
  beforeAll(async () => {
    if (target.skip) return;
    db = await databaseFor(target.dialect);
    orm = await createOrm({ databaseUrl: db.url, timeZone: 'Europe/Berlin' });
  });
  afterAll(async () => {
    if (orm) await closeOrm(orm);
    await db?.drop();
  });

  it.skipIf(target.skip)('records a succeeded sync, a dry run and failures, newest first', async () => {
    const create = example('pyispyb-create');
    const ok = await syncAndRecord(orm, create);
    expect(ok.recorded).toBe(true);
    const dry = await syncAndRecord(orm, example('pyispyb-update'), { dryRun: true });
    expect(dry.recorded).toBe(true);
    const invalid = await syncAndRecord(orm, {
      proposal: { proposalCode: 'MX', proposalNumber: 3456, state: 'Bogus', persons: [{ login: 'x' }] },
    });
    expect(invalid.error?.code).toBe('VALIDATION_FAILED');
    const garbage = await syncAndRecord(orm, ['not a payload']);
    expect(garbage.recorded).toBe(true);

    const page = await listSyncRuns(orm, {});
    expect(page.runs.map((r) => r.outcome)).toEqual(['failed', 'failed', 'succeeded', 'succeeded']);
    const [noKey, validation, dryRun, first] = page.runs;
    expect(noKey).toMatchObject({ proposalCode: null, proposalNumber: null, errorCode: 'VALIDATION_FAILED' });
    expect(validation).toMatchObject({
      proposalCode: 'MX',
      proposalNumber: '3456',
      errorCode: 'VALIDATION_FAILED',
      errorPath: 'proposal.state',
      summary: null,
    });
    expect(dryRun).toMatchObject({ dryRun: true, outcome: 'succeeded' });
    expect(first).toMatchObject({
      principal: 'portal',
      proposalCode: 'I',
      proposalNumber: '20140076',
      dryRun: false,
      reconcile: false,
      payloadSha256: payloadSha256(create),
    });
    expect(first?.summary?.persons).toEqual({ created: 6, updated: 0, unchanged: 0, deleted: 0 });
    expect(first?.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(first?.durationMs).toBeGreaterThan(0);
    expect(first?.payload).toBeUndefined();
    expect(page.nextCursor).toBeNull();
  });

  it.skipIf(target.skip)(
    'records a payload nested too deep for JSON.stringify, hashing its JSON text',
    async () => {
      // the server refuses such bodies before parsing them (MAX_JSON_DEPTH); a library caller may not
      const depth = 20_000; // JSON.stringify gives up at ~5,000 levels
      const text = `{"proposal":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
      const out = await syncAndRecord(orm, JSON.parse(text));
      expect(out.error?.code).toBe('VALIDATION_FAILED');
      expect(out.recorded).toBe(true);
      const [latest] = (await listSyncRuns(orm, { limit: 1 })).runs;
      expect(latest).toMatchObject({ outcome: 'failed', errorCode: 'VALIDATION_FAILED' });
      const { createHash } = await import('node:crypto');
      expect(latest!.payloadSha256).toBe(createHash('sha256').update(text).digest('hex'));
    },
  );

  it.skipIf(target.skip)('a history row the database refuses does not cost the sync', async () => {
    const trigger =
      target.dialect === 'mysql'
        ? "CREATE TRIGGER hist_refuse BEFORE INSERT ON upsync_sync_run FOR EACH ROW BEGIN IF NEW.principal = 'refused' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'; END IF; END"
        : "CREATE TRIGGER hist_refuse BEFORE INSERT ON upsync_sync_run WHEN NEW.principal = 'refused' BEGIN SELECT RAISE(ABORT, 'injected'); END";
    await sql(orm, trigger);
    const payload = example('pyispyb-create');
    payload.proposal.proposalNumber = 'HIST-REFUSED';
    payload.proposal.externalId = 4242;
    const reports: (SyncError | null)[] = [];
    try {
      const result = await syncProposal(orm, payload, {
        history: { principal: 'refused', onRecorded: (e) => reports.push(e) },
      });
      expect(result.summary.proposal.created).toBe(1);
    } finally {
      await sql(orm, 'DROP TRIGGER hist_refuse');
    }
    // committed without its row; the row tried again after commit, refused again, and reported
    expect(
      await sql(orm, "SELECT proposalId FROM Proposal WHERE proposalNumber = 'HIST-REFUSED'"),
    ).toHaveLength(1);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.code).toBe('INTERNAL');
    // the next sync records its row inside its own transaction again: nothing switched for good
    expect(internalsOf(orm).historyTable).toBe(true);
    payload.proposal.title = 'after the refusal';
    const { counts } = await countStatements(orm, () =>
      syncProposal(orm, payload, { history: { principal: 'portal' } }),
    );
    const history = counts.statements.findIndex((s) => s.includes('upsync_sync_run'));
    const commit = counts.statements.findIndex((s) => /^commit/i.test(s.trim()));
    expect(history).toBeGreaterThan(-1);
    expect(history).toBeLessThan(commit);
  });

  it.skipIf(target.skip)('records a sync that failed in the database (rolled back)', async () => {
    const trigger =
      target.dialect === 'mysql'
        ? "CREATE TRIGGER hist_fail BEFORE INSERT ON Protein FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'"
        : "CREATE TRIGGER hist_fail BEFORE INSERT ON Protein BEGIN SELECT RAISE(ABORT, 'injected'); END";
    await sql(orm, trigger);
    const payload = example('pyispyb-create');
    payload.proposal.proposalNumber = 'FAIL-1';
    payload.proposal.externalId = 999;
    payload.proteins = [{ acronym: 'NEWP', person: payload.proposal.persons[0] }];
    const out = await syncAndRecord(orm, payload);
    await sql(orm, 'DROP TRIGGER hist_fail');
    expect(out.error?.code).toBe('CONSTRAINT_VIOLATION');
    expect(out.recorded).toBe(true);
    const page = await listSyncRuns(orm, { proposal: 'I-FAIL-1' });
    expect(page.runs).toHaveLength(1);
    expect(page.runs[0]).toMatchObject({
      outcome: 'failed',
      errorCode: 'CONSTRAINT_VIOLATION',
      proposalNumber: 'FAIL-1',
    });
  });

  it.skipIf(target.skip)('stores the payload only when asked to', async () => {
    const payload = { proposal: { proposalCode: 'PAY', proposalNumber: '1', persons: [{ login: 'p1' }] } };
    await recordSyncRun(orm, {
      principal: 't',
      dryRun: false,
      reconcile: false,
      outcome: 'succeeded',
      durationMs: 1,
      payload,
      storePayload: true,
    });
    await recordSyncRun(orm, {
      principal: 't',
      dryRun: false,
      reconcile: false,
      outcome: 'succeeded',
      durationMs: 1,
      payload,
    });
    const { runs } = await listSyncRuns(orm, { proposal: 'pay-1' });
    expect(runs.map((r) => r.payload)).toEqual([undefined, payload]);
    expect(runs[0]?.payloadSha256).toBe(runs[1]?.payloadSha256);
  });

  it.skipIf(target.skip)('pages with a cursor and filters by proposal and outcome', async () => {
    for (let i = 0; i < 7; i++) {
      await recordSyncRun(orm, {
        principal: 'pager',
        proposalCode: 'PG',
        proposalNumber: '7',
        dryRun: false,
        reconcile: false,
        outcome: i % 3 === 0 ? 'failed' : 'succeeded',
        errorCode: i % 3 === 0 ? 'INTERNAL' : undefined,
        durationMs: i,
        payload: { i },
      });
    }
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listSyncRuns(orm, { proposal: 'PG-7', limit: 3, ...(cursor && { cursor }) });
      seen.push(...page.runs.map((r) => r.durationMs));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0]);
    const failed = await listSyncRuns(orm, { proposal: 'PG-7', outcome: 'failed' });
    expect(failed.runs.map((r) => r.durationMs)).toEqual([6, 3, 0]);
    const bad = await listSyncRuns(orm, { cursor: 'bm9wZQ' }).catch((e) => e);
    expect(bad).toBeInstanceOf(SyncError);
    expect(bad.code).toBe('VALIDATION_FAILED');
  });

  it.skipIf(target.skip)('prunes runs older than the retention', async () => {
    const old = new Date(Date.now() - 100 * 86_400_000);
    await recordSyncRun(orm, {
      principal: 'old',
      proposalCode: 'OLD',
      proposalNumber: '1',
      startedAt: old,
      dryRun: false,
      reconcile: false,
      outcome: 'succeeded',
      durationMs: 1,
      payload: {},
    });
    expect((await listSyncRuns(orm, { proposal: 'OLD-1' })).runs).toHaveLength(1);
    const { deleted } = await pruneSyncRuns(orm, { retentionDays: 90 });
    expect(deleted).toBe(1);
    expect((await listSyncRuns(orm, { proposal: 'OLD-1' })).runs).toHaveLength(0);
    expect((await listSyncRuns(orm, { proposal: 'PG-7' })).runs.length).toBeGreaterThan(0);
  });

  it.skipIf(target.skip || target.dialect !== 'mysql')(
    'a lost connection during the in-transaction history insert retries the sync and keeps recording in its transaction',
    async () => {
      // the first history INSERT stalls (a sequence is not transactional: only the first does),
      // and its connection is killed meanwhile, as a dropped connection or a lost node would
      await sql(orm, 'CREATE SEQUENCE history_stalls_once');
      await sql(
        orm,
        'CREATE TRIGGER history_stall BEFORE INSERT ON upsync_sync_run FOR EACH ROW BEGIN IF NEXTVAL(history_stalls_once) = 1 THEN DO SLEEP(5); END IF; END',
      );
      try {
        const before = await sql<{ n: number }>(orm, 'SELECT COUNT(*) AS n FROM upsync_sync_run');
        const payload = example('pyispyb-update');
        payload.proposal.title = 'retried with its history row';
        const syncing = syncAndRecord(orm, payload);
        let killed = false;
        for (let i = 0; i < 100 && !killed; i++) {
          await new Promise((r) => setTimeout(r, 50));
          const stalled = await sql<{ id: number }>(
            orm,
            "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND (INFO LIKE 'INSERT INTO upsync_sync_run%' OR INFO LIKE '%SLEEP(5)%') AND ID <> CONNECTION_ID()",
          );
          if (stalled[0]) {
            await sql(orm, `KILL ${Number(stalled[0].id)}`);
            killed = true;
          }
        }
        expect(killed).toBe(true);
        const out = await syncing;
        expect(out.error).toBeUndefined();
        expect(out.recorded).toBe(true);
        expect(out.result?.proposal.proposalId).toBeGreaterThan(0);
        // one row, written by the retried attempt's transaction (the killed one's was rolled back)
        const after = await sql<{ n: number }>(orm, 'SELECT COUNT(*) AS n FROM upsync_sync_run');
        expect(Number(after[0]!.n)).toBe(Number(before[0]!.n) + 1);
        // the process still records in the sync's transaction: the next sync's row commits with it
        const { counts } = await countStatements(orm, () => syncAndRecord(orm, example('pyispyb-update')));
        const history = counts.statements.findIndex((s) => /upsync_sync_run/.test(s));
        expect(history).toBeGreaterThan(0);
        expect(counts.statements[history + 1]).toMatch(/^COMMIT/i);
      } finally {
        await sql(orm, 'DROP TRIGGER IF EXISTS history_stall');
        await sql(orm, 'DROP SEQUENCE history_stalls_once');
      }
    },
  );

  it.skipIf(target.skip)('a missing history table never fails the sync: it is reported instead', async () => {
    await sql(orm, 'DROP TABLE upsync_sync_run');
    // the row would have gone with the sync's COMMIT: the sync is run again, recorded after it
    for (let i = 0; i < 2; i++) {
      const out = await syncAndRecord(orm, example('pyispyb-update'));
      expect(out.error).toBeUndefined();
      expect(out.result?.proposal.proposalId).toBeGreaterThan(0);
      expect(out.reports).toHaveLength(1);
      expect(out.reports[0]?.code).toBe('SCHEMA_MISMATCH');
    }
    const errors: unknown[] = [];
    const payload = example('pyispyb-update');
    const result = await syncProposal(orm, payload);
    const recorded = await recordSyncRun(
      orm,
      { principal: 'p', dryRun: false, reconcile: false, outcome: 'succeeded', durationMs: 1, payload },
      { onError: (e) => errors.push(e) },
    );
    expect(result.proposal.proposalId).toBeGreaterThan(0);
    expect(recorded).toBe(false);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SyncError);
    expect((errors[0] as SyncError).code).toBe('SCHEMA_MISMATCH');
    expect(
      await recordSyncRun(
        orm,
        { principal: 'p', dryRun: false, reconcile: false, outcome: 'succeeded', durationMs: 1, payload },
        {
          onError: () => {
            throw new Error('a broken reporter');
          },
        },
      ),
    ).toBe(false);
    if (target.dialect === 'mysql') {
      const ready = await checkReady(orm);
      expect(ready.ok).toBe(true);
      expect(ready.notes.join()).toMatch(/upsync_sync_run is missing/);
    }
  });
});
