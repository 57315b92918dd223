import { ZEntityKind } from '@upsync/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncRunStatement } from '../src/history/record-sync-run.js';
import type { SyncRunRecord } from '../src/history/sync-run-record.js';
import {
  checkReplayOf,
  getSyncRun,
  listSyncRuns,
  rollUpSyncStats,
  SyncError,
  syncProposal,
  syncStats,
  type UpsyncOrm,
} from '../src/index.js';
import { example, openTarget, sql, TARGETS } from './support/targets.js';

const NOW = new Date('2026-12-06T06:47:13.500Z');
const HOUR = 3_600_000;
const CODES = ['VALIDATION_FAILED', 'IDENTITY_CONFLICT', 'LOCK_RETRIES_EXHAUSTED', 'INTERNAL'];

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const summary = (created: number) =>
  Object.fromEntries(ZEntityKind.options.map((k) => [k, { created, updated: 0, unchanged: 1, deleted: 0 }]));

/** History rows over the last 8 days (some before the 7-day range), every class, skewed error codes. */
function generatedRuns(count: number, seed = 42): SyncRunRecord[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const kind = next();
    const startedAt = new Date(NOW.getTime() - Math.floor(next() * 8 * 24 * HOUR));
    const durationMs = Math.round(Math.exp(next() * 8) * 1000) / 1000;
    const base = {
      startedAt,
      principal: ['portal', 'amqp:proposals', 'console'][i % 3]!,
      proposalCode: 'MX',
      proposalNumber: String(i % 50),
      reconcile: false,
      durationMs,
      payload: { n: i },
    };
    if (kind < 0.15)
      return {
        ...base,
        dryRun: false,
        outcome: 'failed',
        errorCode: CODES[Math.floor(next() ** 2 * CODES.length)] as SyncRunRecord['errorCode'],
      };
    if (kind < 0.3) return { ...base, dryRun: true, outcome: 'succeeded', summary: summary(1) as never };
    if (kind < 0.6) return { ...base, dryRun: false, outcome: 'succeeded', summary: summary(1) as never };
    return { ...base, dryRun: false, outcome: 'succeeded', summary: summary(0) as never };
  });
}

/** Many rows in few statements (multi-row INSERTs of the history's own statement). */
async function insertRuns(orm: UpsyncOrm, runs: SyncRunRecord[]) {
  for (let i = 0; i < runs.length; i += 200) {
    const statements = runs.slice(i, i + 200).map(syncRunStatement);
    const tuple = statements[0]!.sql.slice(statements[0]!.sql.indexOf('VALUES ') + 7);
    await sql(
      orm,
      statements[0]!.sql + `, ${tuple}`.repeat(statements.length - 1),
      statements.flatMap((s) => s.params),
    );
  }
}

const classOf = (r: SyncRunRecord) =>
  r.outcome === 'failed'
    ? 'failed'
    : r.dryRun
      ? 'dryRun'
      : Object.values(r.summary ?? {}).some((c) => c.created > 0)
        ? 'changed'
        : 'unchanged';

/** Nearest-rank percentile of exact durations. */
function exactPercentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(p * sorted.length) - 1]!;
}

/** A reported percentile is the upper bound of the histogram bucket holding the exact one. */
function expectWithinOneBucket(reported: number | null, exact: number | null) {
  if (exact === null) return expect(reported).toBeNull();
  expect(reported).not.toBeNull();
  expect(reported!).toBeGreaterThanOrEqual(exact - 0.001);
  expect(reported!).toBeLessThanOrEqual(exact * 2 ** (1 / 4) + 0.001);
}

describe.each(TARGETS)('the console’s history reads on $dialect', (target) => {
  let orm: UpsyncOrm;
  let close: () => Promise<void>;
  const runs = generatedRuns(3000);
  beforeAll(async () => {
    if (target.skip) return;
    ({ orm, close } = await openTarget(target, 'console'));
    await insertRuns(orm, runs);
  });
  afterAll(async () => close?.());

  /** syncStats against a computation over `runs` (those recorded so far). */
  async function checkStats(runs: SyncRunRecord[]) {
    for (const [range, span, bucketMs] of [
      ['1h', HOUR, 60_000],
      ['24h', 24 * HOUR, 600_000],
      ['7d', 7 * 24 * HOUR, HOUR],
    ] as const) {
      const stats = await syncStats(orm, { range }, { now: NOW });
      const start = Math.floor((NOW.getTime() - span) / bucketMs) * bucketMs;
      expect(stats.bucketMs).toBe(bucketMs);
      expect(stats.from).toBe(new Date(start).toISOString());
      expect(stats.buckets.length).toBe(Math.ceil((NOW.getTime() - start) / bucketMs));
      const inRange = runs.filter(
        (r) => r.startedAt!.getTime() >= start && r.startedAt!.getTime() < NOW.getTime(),
      );
      expect(stats.totals.total).toBe(inRange.length);
      for (const c of ['changed', 'unchanged', 'failed', 'dryRun'] as const)
        expect(stats.totals[c], `${range} ${c}`).toBe(inRange.filter((r) => classOf(r) === c).length);
      expectWithinOneBucket(
        stats.totals.p50Ms,
        exactPercentile(
          inRange.map((r) => r.durationMs),
          0.5,
        ),
      );
      expectWithinOneBucket(
        stats.totals.p95Ms,
        exactPercentile(
          inRange.map((r) => r.durationMs),
          0.95,
        ),
      );

      const codes = new Map<string, number>();
      for (const r of inRange.filter((r) => r.outcome === 'failed'))
        codes.set(r.errorCode!, (codes.get(r.errorCode!) ?? 0) + 1);
      expect(stats.failureCodes).toEqual(
        [...codes]
          .map(([code, count]) => ({ code, count }))
          .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
          .slice(0, 10),
      );

      for (const bucket of stats.buckets) {
        const t = Date.parse(bucket.start);
        const mine = inRange.filter(
          (r) => r.startedAt!.getTime() >= t && r.startedAt!.getTime() < t + bucketMs,
        );
        expect(bucket.total, `${range} ${bucket.start}`).toBe(mine.length);
        expect(bucket.failed).toBe(mine.filter((r) => r.outcome === 'failed').length);
        expect(bucket.changed).toBe(mine.filter((r) => classOf(r) === 'changed').length);
        const seconds = (Math.min(t + bucketMs, NOW.getTime()) - t) / 1000;
        expect(bucket.perSecond).toBeCloseTo(mine.length / seconds, 9);
        expectWithinOneBucket(
          bucket.p50Ms,
          exactPercentile(
            mine.map((r) => r.durationMs),
            0.5,
          ),
        );
        expectWithinOneBucket(
          bucket.p95Ms,
          exactPercentile(
            mine.map((r) => r.durationMs),
            0.95,
          ),
        );
      }
    }
  }

  it.skipIf(target.skip)(
    'syncStats agrees with a computation over every row, for 1h, 24h and 7d: runs not rolled up, rolled up, and both',
    async () => {
      await checkStats(runs); // nothing rolled up: the mark is pending (NOW is its time, not settled)
      await rollUpSyncStats(orm, { settleMs: 0 });
      const [counted] = await sql<{ n: number }>(
        orm,
        'SELECT SUM(n) AS n FROM upsync_sync_stat WHERE kind = ? AND grain = 15',
        ['c'],
      );
      expect(Number(counted?.n)).toBe(runs.length);
      await checkStats(runs);
      const more = generatedRuns(500, 7).map((r) => ({ ...r, principal: 'later' }));
      await insertRuns(orm, more);
      await checkStats([...runs, ...more]);
      // settled a minute later: rolled up by the next syncStats itself
      await syncStats(orm, { range: '24h' }, { now: new Date(Date.now() + 61_000) });
      await syncStats(orm, { range: '24h' }, { now: new Date(Date.now() + 122_000) });
      const [all] = await sql<{ n: number }>(
        orm,
        'SELECT SUM(n) AS n FROM upsync_sync_stat WHERE kind = ? AND grain = 15',
        ['c'],
      );
      expect(Number(all?.n)).toBe(runs.length + more.length);
      await checkStats([...runs, ...more]);
    },
  );

  it.skipIf(target.skip)('syncStats takes from/to, and refuses a range it cannot bucket', async () => {
    const stats = await syncStats(orm, { from: '2026-12-01T00:00:00+01:00', to: '2026-12-03T00:00:00Z' });
    // 49 hours: too many 10-minute buckets, so hours
    expect(stats).toMatchObject({
      from: '2026-11-30T23:00:00.000Z',
      to: '2026-12-03T00:00:00.000Z',
      bucketMs: HOUR,
    });
    expect(stats.buckets).toHaveLength(49);
    for (const [query, message] of [
      [{ from: '2026-12-03T00:00:00Z', to: '2026-12-03T00:00:00Z' }, 'must be before to'],
      [{ from: '2026-01-01T00:00:00Z', to: '2026-12-03T00:00:00Z' }, 'at most 168 days before to'],
    ] as const) {
      const error = (await syncStats(orm, query).catch((e: unknown) => e)) as SyncError;
      expect(error?.issues?.[0]).toMatchObject({ path: 'from', message });
    }
  });

  it.skipIf(target.skip)(
    'syncRuns filters by principal, outcome class and time, pages by cursor',
    async () => {
      const from = new Date(NOW.getTime() - 2 * 24 * HOUR).toISOString();
      const to = NOW.toISOString();
      const expected = runs
        .map((r, i) => ({ r, id: i + 1 }))
        .filter(
          ({ r }) =>
            r.principal === 'console' &&
            classOf(r) === 'changed' &&
            r.startedAt!.toISOString() >= from &&
            r.startedAt!.toISOString() < to,
        )
        .map(({ id }) => id)
        .reverse();
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await listSyncRuns(orm, {
          principal: 'console',
          outcome: 'changed',
          from,
          to,
          limit: 20,
          ...(cursor && { cursor }),
        });
        for (const run of page.runs) {
          expect(run).toMatchObject({ principal: 'console', outcomeClass: 'changed', replayOf: null });
          seen.push(run.id);
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(expected);
      expect(
        (await listSyncRuns(orm, { outcome: 'failed', limit: 5 })).runs.every(
          (r) => r.outcomeClass === 'failed',
        ),
      ).toBe(true);
    },
  );

  it.skipIf(target.skip)('bad filters are VALIDATION_FAILED naming the field', async () => {
    for (const [query, path] of [
      [{ from: 'yesterday' }, 'from'],
      [{ outcome: 'exploded' }, 'outcome'],
      [{ principal: '' }, 'principal'],
    ] as const) {
      const error = await listSyncRuns(orm, query as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SyncError);
      expect((error as SyncError).issues?.[0]?.path).toBe(path);
    }
    const error = await syncStats(orm, { range: '1h', from: NOW.toISOString() }).catch((e: unknown) => e);
    expect((error as SyncError).issues?.[0]?.path).toBe('range');
  });

  it.skipIf(target.skip)(
    'a replay is recorded with the run it replays; replayOf must name a run of the proposal',
    async () => {
      const payload = example('pyispyb-create');
      const history = { principal: 'portal', storePayload: true };
      await syncProposal(orm, payload, { history });
      const [original] = (await listSyncRuns(orm, { proposal: 'I-20140076', limit: 1 })).runs;
      expect(original?.payload).toEqual(payload);
      await checkReplayOf(orm, original!.id, original!.payload);
      await syncProposal(orm, original!.payload, {
        history: { ...history, principal: 'console', replayOf: original!.id },
      });
      const [replay] = (await listSyncRuns(orm, { proposal: 'I-20140076', limit: 1 })).runs;
      expect(replay).toMatchObject({
        principal: 'console',
        replayOf: original!.id,
        outcomeClass: 'unchanged',
      });
      expect(replay!.payloadSha256).toBe(original!.payloadSha256);
      expect(await getSyncRun(orm, replay!.id)).toEqual(replay);
      expect(await getSyncRun(orm, 999_999_999)).toBeNull();

      const unknown = await checkReplayOf(orm, 999_999_999, payload).catch((e: unknown) => e as SyncError);
      expect(unknown?.issues?.[0]).toMatchObject({
        path: 'replayOf',
        message: 'no recorded sync run 999999999',
      });
      const other = await checkReplayOf(orm, 1, payload).catch((e: unknown) => e as SyncError);
      expect(other?.issues?.[0]?.message).toMatch(/^run 1 synced MX-0, not I-20140076$/);
    },
  );
});
