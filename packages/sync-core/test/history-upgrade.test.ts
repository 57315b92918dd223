import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkReady,
  closeOrm,
  createOrm,
  listSyncRuns,
  setupServiceTables,
  syncStats,
  type UpsyncOrm,
} from '../src/index.js';
import { createTestDatabase, createTestSqliteDatabase, type TestDatabase } from '../src/testing/index.js';
import { MARIADB, sql } from './support/targets.js';

// upsync_sync_run as the first release created it (before outcomeClass, replayOf and their indexes)
const OLD_COLUMNS = `
  startedAt char(24) NOT NULL, principal varchar(128) NOT NULL, proposalCode varchar(45) NULL,
  proposalNumber varchar(45) NULL, dryRun tinyint(1) NOT NULL DEFAULT 0, reconcile tinyint(1) NOT NULL DEFAULT 0,
  outcome varchar(16) NOT NULL, errorCode varchar(64) NULL, errorDetail text NULL, errorPath varchar(512) NULL,
  summary text NULL, warnings mediumtext NULL, durationMs double NOT NULL, payloadSha256 char(64) NOT NULL,
  payload longtext NULL`;
const OLD_ROWS = `INSERT INTO upsync_sync_run (startedAt, principal, dryRun, outcome, errorCode, summary, durationMs, payloadSha256) VALUES
  ('2026-12-06T05:00:00.000Z', 'portal', 0, 'failed', 'VALIDATION_FAILED', NULL, 3, 'a'),
  ('2026-12-06T05:01:00.000Z', 'portal', 1, 'succeeded', NULL, '{"persons":{"created":1,"updated":0,"unchanged":0,"deleted":0}}', 5, 'b'),
  ('2026-12-06T05:02:00.000Z', 'portal', 0, 'succeeded', NULL, '{"persons":{"created":0,"updated":2,"unchanged":0,"deleted":0}}', 7, 'c'),
  ('2026-12-06T05:03:00.000Z', 'portal', 0, 'succeeded', NULL, '{"persons":{"created":0,"updated":0,"unchanged":3,"deleted":0}}', 9, 'd')`;

/** The old rows classified, the new indexes present, statistics and filters working. */
async function expectUpgraded(orm: UpsyncOrm, indexQuery: string) {
  const rows = await sql<{ outcomeClass: string }>(
    orm,
    'SELECT outcomeClass FROM upsync_sync_run ORDER BY id',
  );
  expect(rows.map((r) => r.outcomeClass)).toEqual(['failed', 'dryRun', 'changed', 'unchanged']);
  const indexes = await sql<{ name: string }>(orm, indexQuery);
  expect(indexes.map((i) => i.name)).toEqual(
    expect.arrayContaining(['upsync_sync_run_stats', 'upsync_sync_run_class', 'upsync_sync_run_principal']),
  );
  const stats = await syncStats(orm, { from: '2026-12-06T04:00:00Z', to: '2026-12-06T06:00:00Z' });
  expect(stats.totals).toMatchObject({ changed: 1, unchanged: 1, failed: 1, dryRun: 1, total: 4 });
  const page = await listSyncRuns(orm, { outcome: 'changed' });
  expect(page.runs.map((r) => r.payloadSha256)).toEqual(['c']);
}

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
});

describe('an upsync_sync_run of the first release is upgraded', () => {
  it.skipIf(MARIADB.skip)('on MariaDB by db:setup (setupServiceTables), idempotently', async () => {
    const db = await createTestDatabase('upgrade', { serviceTables: false });
    databases.push(db);
    const conn = await mysql.createConnection(db.url);
    await conn.query(
      `CREATE TABLE upsync_sync_run (id bigint unsigned NOT NULL AUTO_INCREMENT, ${OLD_COLUMNS}, PRIMARY KEY (id))`,
    );
    await conn.query(OLD_ROWS);
    await conn.end();
    const orm = await createOrm({ databaseUrl: db.url });
    try {
      expect((await checkReady(orm)).notes).toEqual([
        'upsync_sync_run is from an older version (the sync history is not recorded, no statistics): run `npm run db:setup`',
      ]);
      await setupServiceTables(orm);
      await setupServiceTables(orm); // a second run changes nothing and does not fail
      expect((await checkReady(orm)).notes).toEqual([]);
      await expectUpgraded(
        orm,
        "SELECT DISTINCT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'upsync_sync_run'",
      );
      // the stats query reads the covering index only, over a range of startedAt
      const [plan] = await sql<{ key: string; Extra: string }>(
        orm,
        "EXPLAIN SELECT SUBSTR(startedAt, 1, 13) AS b, outcomeClass, FLOOR(LOG2(durationMs) * 4) AS d, errorCode, COUNT(*) FROM upsync_sync_run WHERE startedAt >= '2026-12-06T04:00:00.000Z' AND startedAt < '2026-12-06T06:00:00.000Z' GROUP BY b, outcomeClass, d, errorCode",
      );
      expect(plan?.key).toBe('upsync_sync_run_stats');
      expect(plan?.Extra).toMatch(/Using index/);
    } finally {
      await closeOrm(orm);
    }
  });

  it('on the embedded SQLite database when it is opened', async () => {
    const db = createTestSqliteDatabase('upgrade');
    databases.push(db);
    // a file as the first release left it: today's tables, the history table replaced by the old one
    const first = await createOrm({ databaseUrl: db.url });
    await sql(first, 'DROP TABLE upsync_sync_run');
    await sql(first, `CREATE TABLE upsync_sync_run (id integer PRIMARY KEY AUTOINCREMENT, ${OLD_COLUMNS})`);
    await sql(first, OLD_ROWS);
    await closeOrm(first);
    for (let open = 0; open < 2; open++) {
      const orm = await createOrm({ databaseUrl: db.url });
      try {
        await expectUpgraded(orm, "SELECT name FROM pragma_index_list('upsync_sync_run')");
      } finally {
        await closeOrm(orm);
      }
    }
  });
});
