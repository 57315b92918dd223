import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeOrm, createOrm, SyncError, syncProposal, type UpsyncOrm } from '../src/index.js';
import type { TestDatabase } from '../src/testing/index.js';
import { dumpTables } from './support/dump.js';
import { example, MARIADB } from './support/targets.js';

describe.skipIf(MARIADB.skip)('a sync blocked by a lock someone else holds (MariaDB)', () => {
  let db: TestDatabase;
  let orm: UpsyncOrm;
  beforeAll(async () => {
    db = await MARIADB.database('lockwait');
    // one second per attempt instead of the default five, to keep the test short
    orm = await createOrm({ databaseUrl: db.url, lockWaitTimeoutSeconds: 1 });
    await syncProposal(orm, example('pyispyb-create'));
  });
  afterAll(async () => {
    if (orm) await closeOrm(orm);
    await db?.drop();
  });

  it('gives up after its attempts with a retryable LOCK_RETRIES_EXHAUSTED, writing nothing', async () => {
    // an administrator's transaction left open on the proposal's row
    const holder = await mysql.createConnection(db.url);
    try {
      await holder.query('START TRANSACTION');
      await holder.query("SELECT proposalId FROM Proposal WHERE proposalNumber = '20140076' FOR UPDATE");
      const before = await dumpTables(orm);
      const payload = example('pyispyb-create');
      payload.proposal.title = 'A new title';
      const started = Date.now();
      const error = await syncProposal(orm, payload).catch((e: unknown) => e);
      const seconds = (Date.now() - started) / 1000;
      expect(error).toBeInstanceOf(SyncError);
      expect(error).toMatchObject({ code: 'LOCK_RETRIES_EXHAUSTED', retryable: true });
      expect((error as SyncError).message).not.toMatch(/lock wait|innodb|errno|1205/i);
      // 5 attempts of 1 s each, plus backoff: not the server's 50 s per attempt
      expect(seconds).toBeGreaterThan(4);
      expect(seconds).toBeLessThan(15);
      await holder.query('ROLLBACK');
      expect(await dumpTables(orm)).toBe(before);
      // once the lock is gone, the same sync goes through
      expect((await syncProposal(orm, payload)).entities.proposal[0]!.outcome).toBe('updated');
    } finally {
      await holder.end();
    }
  }, 30_000);

  it("stops retrying when the caller's signal aborts (the request's deadline): no attempt starts after it", async () => {
    const holder = await mysql.createConnection(db.url);
    try {
      await holder.query('START TRANSACTION');
      await holder.query("SELECT proposalId FROM Proposal WHERE proposalNumber = '20140076' FOR UPDATE");
      const payload = example('pyispyb-create');
      payload.proposal.title = 'Another title';
      const started = Date.now();
      const error = await syncProposal(orm, payload, { signal: AbortSignal.timeout(1_500) }).catch(
        (e: unknown) => e,
      );
      const seconds = (Date.now() - started) / 1000;
      expect(error).toMatchObject({ code: 'LOCK_RETRIES_EXHAUSTED', retryable: true });
      // the attempt running at the deadline ends (1 s lock wait), none starts after it: not 5 × 1 s
      expect(seconds).toBeLessThan(3);
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
  }, 30_000);
});
