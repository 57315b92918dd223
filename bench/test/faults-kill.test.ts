import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db.js';
import { integrityViolations, proposalState, tableCounts } from '../src/invariants.js';
import { type JsonObject, PayloadFactory } from '../src/payloads.js';
import { type Harness, startHarness } from './harness.js';
import { mariadbReachable, packagesReady } from './support.js';

const reachable = (await mariadbReachable()) && (await packagesReady());

/**
 * Connections of the sync on this database (not ours, not `exclude`): those running a write
 * (`writing`), or every one that is running a statement or holds an open transaction.
 * PROCESSLIST is read rather than INNODB_TRX, whose snapshot can miss a waiting transaction.
 */
async function syncConnections(conn: mysql.Connection, db: string, exclude: number, writing: boolean) {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT p.ID AS id FROM information_schema.PROCESSLIST p
     WHERE p.DB = ? AND p.ID <> CONNECTION_ID() AND p.ID <> ? AND ${
       writing
         ? "p.COMMAND = 'Query' AND (p.INFO LIKE 'INSERT%' OR p.INFO LIKE 'UPDATE%' OR p.INFO LIKE 'DELETE%')"
         : "(p.COMMAND <> 'Sleep' OR p.ID IN (SELECT trx_mysql_thread_id FROM information_schema.INNODB_TRX))"
     }`,
    [db, exclude],
  );
  return rows.map((r) => Number(r.id));
}

const cleanError = (status: number, text: string) => {
  expect([200, 503], text).toContain(status);
  expect(text).not.toMatch(/INSERT INTO|UPDATE `|ER_[A-Z_]+|Connection lost|\n\s+at /);
};

describe.skipIf(!reachable)('faults: the sync connection is killed mid-transaction', () => {
  let h: Harness;
  let admin: mysql.Connection;
  const factory = new PayloadFactory({ seed: 3, namespace: 'kill', sharedPersons: 0, sharedLabs: 1 });

  beforeAll(async () => {
    h = await startHarness('kill');
    admin = await connect(h.db.name);
    expect((await h.sync(factory.typical())).status).toBe(200); // warm: pool, metadata
  });
  afterAll(async () => {
    await admin?.end();
    await h?.close();
  });

  it('KILL while the sync waits on a lock after its first writes: clean error or retry, never half-written', async () => {
    const before = await tableCounts(admin);
    const blocker = await connect(h.db.name);
    const [[{ id: blockerId }]] = (await blocker.query('SELECT CONNECTION_ID() AS id')) as unknown as [
      [{ id: number }],
    ];
    // A REPEATABLE READ range lock on Session_has_Person: the sync's inserts there (its last writes) wait.
    await blocker.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await blocker.query('START TRANSACTION');
    await blocker.query('SELECT * FROM Session_has_Person FOR UPDATE');
    const payload = factory.typical();
    let settled: string | undefined;
    const pending = h.sync(payload).then((r) => {
      settled = `${r.status} ${r.text.slice(0, 300)}`;
      return r;
    });
    let killed: number | undefined;
    for (let i = 0; i < 200 && killed === undefined && settled === undefined; i++) {
      const [id] = await syncConnections(admin, h.db.name, blockerId, true);
      if (id !== undefined) {
        await admin.query(`KILL ${id}`);
        killed = id;
      } else await new Promise((r) => setTimeout(r, 50));
    }
    expect(settled, 'the sync finished without waiting on the lock').toBeUndefined();
    await blocker.query('ROLLBACK');
    await blocker.end();
    const res = await pending;
    expect(killed, 'the sync never waited on the lock').toBeDefined();
    console.info(
      `kill while waiting: HTTP ${res.status} ${res.status === 200 ? '(retried)' : res.text.slice(0, 200)}`,
    );
    cleanError(res.status, res.text);
    const state = await proposalState(admin, payload);
    if (res.status === 200) expect(state).toBe('complete');
    else {
      expect(state).toBe('absent');
      expect(await tableCounts(admin)).toEqual(before);
    }
    // the pool recovers: the next sync succeeds
    expect((await h.sync(factory.typical())).status).toBe(200);
  });

  it('KILL at random moments of 20 syncs: each proposal is complete or absent', async () => {
    const results: { payload: JsonObject; status: number; state: string }[] = [];
    for (let i = 0; i < 20; i++) {
      const payload = factory.typical();
      const pending = h.sync(payload);
      const delay = Math.random() * 25;
      await new Promise((r) => setTimeout(r, delay));
      for (const id of await syncConnections(admin, h.db.name, -1, false)) {
        await admin.query(`KILL ${id}`).catch(() => {}); // it may have finished meanwhile
      }
      const res = await pending;
      cleanError(res.status, res.text);
      results.push({ payload, status: res.status, state: await proposalState(admin, payload) });
    }
    // 200 means committed. An error may still have committed: a KILL that lands during COMMIT can
    // arrive after the commit is durable and before its OK reaches the server (unknowable to any
    // client). What must never happen is a half-written proposal; the sync is idempotent, so the
    // portal's retry of such a 503 changes nothing.
    for (const r of results) {
      if (r.status === 200) expect(r.state).toBe('complete');
      else expect(['complete', 'absent']).toContain(r.state);
    }
    console.info(`kill: ${results.filter((r) => r.status !== 200).length}/20 syncs ended in a clean 503`);
    expect(await integrityViolations(admin)).toEqual({});
  });
});
