/**
 * `npm run history-stats -w @upsync/bench -- [--rows n] [--repeat r] [--keep]`: how fast the
 * console's history reads answer on MariaDB with a large upsync_sync_run. Fills `rows` history
 * rows (default 1,000,000; INSERT … SELECT from MariaDB's sequence engine, in chunks) twice:
 * spread evenly over the last 30 days (a facility's month), then all within the last 7 days (the
 * worst case for the 7-day view: every row is in its range). For each, times syncStats for 1h,
 * 24h and 7d and the first page of syncRuns with filters (warm-up call first, then `repeat`
 * calls; min / median / max ms), and prints the plan of the stats query. Prints numbers; asserts
 * nothing. Classes: ~10 % failed (4 codes), 15 % dry runs, 20 % changed, 55 % unchanged;
 * durations log-uniform 3–1100 ms.
 */

import { ZEntityKind } from '@upsync/schema';
import {
  closeOrm,
  createOrm,
  listSyncRuns,
  rollUpSyncStats,
  syncStats,
  type UpsyncOrm,
} from '@upsync/sync-core';
import { Command } from 'commander';
import type mysql from 'mysql2/promise';
import { positive } from './cli-options.js';
import { createDatabase } from './databases.js';
import { connect } from './db.js';

const program = new Command()
  .option('--rows <n>', 'history rows', positive, 1_000_000)
  .option('--repeat <n>', 'timed calls per read', positive, 7)
  .option('--days <list>', 'spreads to measure, in days (comma-separated)', '30,7')
  .option('--keep', 'keep the database (upsync_bench_history), filled with the last spread')
  .parse();
const options = program.opts<{ rows: number; repeat: number; days: string; keep?: boolean }>();

const CHUNK = 100_000;
/** The newest runs, not rolled up yet (about two minutes of a busy server's syncs). */
const LIVE = 2_000;
const SUMMARY = (created: number) =>
  JSON.stringify(
    Object.fromEntries(
      ZEntityKind.options.map((k) => [k, { created, updated: 0, unchanged: 3, deleted: 0 }]),
    ),
  );

/**
 * Fills rows 0..rows-1, oldest first (ids grow with time, as recorded), over the last `days`;
 * the counts of all but the newest LIVE rows are rolled up, as a running server keeps them
 * (it rolls up once a minute; the newest rows are counted from the runs themselves).
 */
async function fill(url: string, rows: number, days: number): Promise<{ fillMs: number; rollUpMs: number }> {
  const conn = await connect(new URL(url).pathname.slice(1));
  const started = performance.now();
  let rollUpMs = 0;
  try {
    await conn.query('TRUNCATE TABLE upsync_sync_run');
    await conn.query('TRUNCATE TABLE upsync_sync_stat');
    await conn.query("UPDATE upsync_sync_stat_mark SET lastId = 0, pendingId = 0, pendingAt = ''");
    const spanMs = days * 86_400_000;
    const settledRows = Math.max(0, rows - LIVE);
    const edges = [
      ...new Set([
        ...Array.from({ length: Math.ceil(settledRows / CHUNK) }, (_, i) => i * CHUNK),
        settledRows,
        rows,
      ]),
    ].sort((a, b) => a - b);
    for (let i = 0; i + 1 < edges.length; i++) {
      const from = edges[i]!;
      const to = edges[i + 1]! - 1;
      if (from === settledRows) rollUpMs = await rollUp(url);
      // r: the row's class draw; ts: its start, (rows - seq) steps of spanMs / rows before now
      await conn.query(
        `INSERT INTO upsync_sync_run (startedAt, principal, proposalCode, proposalNumber, dryRun, reconcile,
           outcome, outcomeClass, errorCode, errorDetail, summary, warnings, durationMs, payloadSha256)
         SELECT CONCAT(DATE_FORMAT(ts, '%Y-%m-%dT%H:%i:%s.'), LPAD(FLOOR(MICROSECOND(ts) / 1000), 3, '0'), 'Z'),
           ELT(1 + seq % 3, 'portal', 'amqp:proposals', 'console'), 'MX', seq % 5000,
           r >= 10 AND r < 25, 0,
           IF(r < 10, 'failed', 'succeeded'),
           CASE WHEN r < 10 THEN 'failed' WHEN r < 25 THEN 'dryRun' WHEN r < 45 THEN 'changed' ELSE 'unchanged' END,
           IF(r < 10, ELT(1 + FLOOR(POW((CRC32(seq * 7) % 100) / 100, 2) * 4), 'VALIDATION_FAILED', 'IDENTITY_CONFLICT', 'LOCK_RETRIES_EXHAUSTED', 'INTERNAL'), NULL),
           IF(r < 10, 'sessions[1].persons[0].login: too long', NULL),
           IF(r < 10, NULL, IF(r < 45, ?, ?)), '[]',
           ROUND(EXP((CRC32(seq * 13) % 10000) / 10000 * 6) * 3, 3), SHA2(seq, 256)
         FROM (SELECT seq, CRC32(seq) % 100 AS r,
                 UTC_TIMESTAMP(3) - INTERVAL FLOOR((? - seq) * ? / ?) * 1000 MICROSECOND AS ts
               FROM mysql.seq_${from}_to_${to}) AS s`,
        [SUMMARY(1), SUMMARY(0), rows, spanMs, rows],
      );
    }
    await conn.query('ANALYZE TABLE upsync_sync_run');
  } finally {
    await conn.end();
  }
  return { fillMs: performance.now() - started - rollUpMs, rollUpMs };
}

/** What db:setup does after an upgrade (and a server once a minute, for the new runs): the counts. */
async function rollUp(url: string): Promise<number> {
  const orm = await createOrm({ databaseUrl: url });
  try {
    const t = performance.now();
    await rollUpSyncStats(orm, { settleMs: 0 });
    return performance.now() - t;
  } finally {
    await closeOrm(orm);
  }
}

async function time(
  repeat: number,
  fn: () => Promise<unknown>,
): Promise<{ min: number; median: number; max: number }> {
  await fn(); // warm-up: pages of the index into the buffer pool, the orm's first statement
  const ms: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    min: round(ms[0]!),
    median: round(ms[Math.floor(ms.length / 2)]!),
    max: round(ms[ms.length - 1]!),
  };
}

async function measure(orm: UpsyncOrm, label: string) {
  const lines: string[] = [];
  for (const range of ['1h', '24h', '7d'] as const) {
    let total = 0;
    const t = await time(options.repeat, async () => {
      total = (await syncStats(orm, { range })).totals.total;
    });
    lines.push(
      `  syncStats ${range.padEnd(4)} rows in range ${String(total).padStart(9)}   min ${t.min} ms   median ${t.median} ms   max ${t.max} ms`,
    );
  }
  for (const [name, query] of [
    ['syncRuns first page', { limit: 50 }],
    ['syncRuns outcome=failed', { outcome: 'failed', limit: 50 }],
    ['syncRuns principal=console, changed', { principal: 'console', outcome: 'changed', limit: 50 }],
    ['syncRuns last 24h', { from: new Date(Date.now() - 86_400_000).toISOString(), limit: 50 }],
    ['syncRuns proposal=MX-42', { proposal: 'MX-42', limit: 50 }],
  ] as const) {
    const t = await time(options.repeat, () => listSyncRuns(orm, query));
    lines.push(`  ${name.padEnd(36)} min ${t.min} ms   median ${t.median} ms   max ${t.max} ms`);
  }
  console.log(`${label}\n${lines.join('\n')}`);
}

async function explain(url: string) {
  const conn = await connect(new URL(url).pathname.slice(1));
  try {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    // the 1h view groups the hour's runs themselves; the longer views read upsync_sync_stat
    const [rows] = await conn.query(
      `EXPLAIN SELECT SUBSTR(startedAt, 1, 16) AS b, outcomeClass, COUNT(*) AS n
       FROM upsync_sync_run WHERE startedAt >= ? AND startedAt < ? GROUP BY b, outcomeClass`,
      [from, new Date().toISOString()],
    );
    for (const row of rows as Record<string, unknown>[])
      console.log(
        `  plan (1h, runs grouped): key ${row.key}, type ${row.type}, rows ~${row.rows}, ${row.Extra}`,
      );
    const [counts] = await conn.query<mysql.RowDataPacket[]>(
      'SELECT grain, COUNT(*) AS n FROM upsync_sync_stat GROUP BY grain ORDER BY grain DESC',
    );
    console.log(`  upsync_sync_stat rows per grain: ${counts.map((c) => `${c.grain}: ${c.n}`).join(', ')}`);
  } finally {
    await conn.end();
  }
}

const db = await createDatabase('upsync_bench_history');
try {
  for (const days of options.days.split(',').map(Number)) {
    const { fillMs, rollUpMs } = await fill(db.url, options.rows, days);
    const orm = await createOrm({ databaseUrl: db.url });
    try {
      await measure(
        orm,
        `${options.rows.toLocaleString('en')} rows spread over the last ${days} days (filled in ${(fillMs / 1000).toFixed(1)} s; ` +
          `counts of all but the newest ${LIVE} rolled up in ${(rollUpMs / 1000).toFixed(1)} s, once, as db:setup does after an upgrade):`,
      );
    } finally {
      await closeOrm(orm);
    }
    await explain(db.url);
  }
} finally {
  if (!options.keep) await db.drop();
}
