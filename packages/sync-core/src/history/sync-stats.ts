import {
  MAX_STATS_BUCKETS,
  MAX_STATS_SPAN_DAYS,
  type TSyncStats,
  type TSyncStatsBucket,
  type TSyncStatsCounts,
  type TSyncStatsQueryInput,
  ZSyncRunOutcomeClass,
  ZSyncStatsQuery,
} from '@upsync/schema';
import type { UpsyncOrm } from '../orm/internals.js';
import { validationFailed } from '../sync-error.js';
import { rollUpSyncStats } from './roll-up-stats.js';
import { groupedRuns, NOT_ROLLED_UP, PER_OCTAVE, ROLLUP_MS, upperBound } from './stats-sql.js';
import { invalidQuery, readHistory, storedInstant } from './sync-run-row.js';

/**
 * Time buckets are prefixes of the stored ISO text (`2026-12-06T06:3` is 06:30–06:40), so SQL
 * groups by a substring, the same on MariaDB and SQLite, with no date functions.
 */
const GRANULARITIES = [
  { ms: 60_000, prefix: 16, complete: (key: string) => `${key}:00.000Z` },
  { ms: 600_000, prefix: 15, complete: (key: string) => `${key}0:00.000Z` },
  { ms: 3_600_000, prefix: 13, complete: (key: string) => `${key}:00:00.000Z` },
  { ms: 86_400_000, prefix: 10, complete: (key: string) => `${key}T00:00:00.000Z` },
] as const;

const RANGE_MS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;

const TOP_FAILURE_CODES = 10;

type Group = { b: string; kind: 'c' | 'd' | 'e'; k: string; n: number };

const zero = (): TSyncStatsCounts => ({ changed: 0, unchanged: 0, failed: 0, dryRun: 0, total: 0 });

/** The range asked for, its bucket length, and the range start rounded down to a bucket. */
function resolveRange(input: TSyncStatsQueryInput, now: Date) {
  const parsed = ZSyncStatsQuery.safeParse(input);
  if (!parsed.success) throw invalidQuery(parsed.error.issues);
  const q = parsed.data;
  const to = q.to !== undefined ? new Date(storedInstant(q.to)) : now;
  const from =
    q.from !== undefined
      ? new Date(storedInstant(q.from))
      : new Date(to.getTime() - RANGE_MS[q.range ?? '24h']);
  const span = to.getTime() - from.getTime();
  if (!(span > 0))
    throw validationFailed([{ path: 'from', message: 'must be before to', code: 'invalid_range' }]);
  const granularity = GRANULARITIES.find((g) => span / g.ms <= MAX_STATS_BUCKETS);
  if (!granularity) {
    throw validationFailed([
      { path: 'from', message: `at most ${MAX_STATS_SPAN_DAYS} days before to`, code: 'too_big' },
    ]);
  }
  const start = new Date(Math.floor(from.getTime() / granularity.ms) * granularity.ms);
  // counts of whole 10-minute buckets: an explicit end is rounded up to one
  const end =
    q.to !== undefined && granularity.ms >= ROLLUP_MS
      ? new Date(Math.ceil(to.getTime() / granularity.ms) * granularity.ms)
      : to;
  return { start, to: end, granularity };
}

/** The p-quantile of a duration histogram: the upper bound of the bucket that holds it. */
function percentile(histogram: Map<number, number>, total: number, p: number): number | null {
  if (total === 0) return null;
  const rank = Math.ceil(p * total);
  let seen = 0;
  for (const d of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(d) ?? 0;
    if (seen >= rank) return upperBound(d);
  }
  return null;
}

const quantiles = (histogram: Map<number, number>, total: number) => ({
  p50Ms: percentile(histogram, total, 0.5),
  p95Ms: percentile(histogram, total, 0.95),
});

/**
 * Counts by outcome class, the most frequent failure codes and a time series (runs per class,
 * throughput, p50/p95 duration) of the sync history, from counts grouped in SQL, never per run:
 * ranges of 10-minute buckets or more read the rolled-up counts of their grain (upsync_sync_stat:
 * ~40 per bucket, ~7,000 for a week of hours) plus the runs of the last minutes; minute buckets (ranges up to 168
 * minutes) group the runs themselves over the covering index upsync_sync_run_stats.
 * Throws SyncError (VALIDATION_FAILED on a bad query).
 */
export async function syncStats(
  orm: UpsyncOrm,
  query: TSyncStatsQueryInput = {},
  options: { now?: Date } = {},
): Promise<TSyncStats> {
  const range = resolveRange(query, options.now ?? new Date());
  const { start, to, granularity } = range;
  const { buckets, totals, histogram, codes } = tally(await groupedCounts(orm, range, options.now), range);
  const series: TSyncStatsBucket[] = [...buckets].map(([t, { counts, histogram: hist }]) => {
    const seconds = (Math.min(t + granularity.ms, to.getTime()) - t) / 1000;
    return {
      start: new Date(t).toISOString(),
      ...counts,
      perSecond: seconds > 0 ? counts.total / seconds : 0,
      ...quantiles(hist, counts.total),
    };
  });
  return {
    from: start.toISOString(),
    to: to.toISOString(),
    bucketMs: granularity.ms,
    totals: { ...totals, ...quantiles(histogram, totals.total) },
    failureCodes: [...codes]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
      .slice(0, TOP_FAILURE_CODES),
    buckets: series,
    durationResolution: 2 ** (1 / PER_OCTAVE),
  };
}

type Range = ReturnType<typeof resolveRange>;

/** The range's counts grouped in SQL: per bucket, by class (c), duration (d) and error code (e). */
async function groupedCounts(orm: UpsyncOrm, { start, to, granularity }: Range, now?: Date) {
  // the range of each of groupedRuns' three SELECTs
  const range = Array(3).fill([start.toISOString(), to.toISOString()]).flat();
  const live = 'startedAt >= ? AND startedAt < ?';
  if (granularity.ms < ROLLUP_MS) {
    // at most 168 minutes of runs: counted from the rows themselves (the covering stats index)
    return readHistory<Group>(orm, groupedRuns(granularity.prefix, live), range);
  }
  // the rolled-up counts of the range, plus the runs not rolled up yet (the last minutes), in
  // one statement: one read view, so a roll-up committing meanwhile is counted once
  await rollUpSyncStats(orm, now ? { now } : {});
  const grain = granularity.prefix;
  const key = (t: number) => new Date(t).toISOString().slice(0, grain);
  const end = key(Math.ceil(to.getTime() / granularity.ms) * granularity.ms);
  return readHistory<Group>(
    orm,
    'SELECT bucket AS b, kind, k, n FROM upsync_sync_stat WHERE grain = ? AND bucket >= ? AND bucket < ? ' +
      `UNION ALL SELECT b, kind, k, n FROM (${groupedRuns(grain, live, NOT_ROLLED_UP)}) AS live`,
    [grain, key(start.getTime()), end, ...range],
  );
}

/** The grouped counts added up per bucket and in total, with the failures per error code. */
function tally(rows: Group[], { start, to, granularity }: Range) {
  const buckets = new Map<number, { counts: TSyncStatsCounts; histogram: Map<number, number> }>();
  for (let t = start.getTime(); t < to.getTime(); t += granularity.ms)
    buckets.set(t, { counts: zero(), histogram: new Map() });
  const totals = zero();
  const histogram = new Map<number, number>();
  const codes = new Map<string, number>();
  for (const row of rows) {
    const n = Number(row.n);
    const bucket = buckets.get(Date.parse(granularity.complete(row.b)));
    if (row.kind === 'e') {
      codes.set(row.k, (codes.get(row.k) ?? 0) + n);
      continue;
    }
    for (const [counts, hist] of [
      [totals, histogram],
      ...(bucket ? [[bucket.counts, bucket.histogram] as const] : []),
    ] as const) {
      if (row.kind === 'd') {
        const d = Number(row.k);
        hist.set(d, (hist.get(d) ?? 0) + n);
        continue;
      }
      counts[ZSyncRunOutcomeClass.safeParse(row.k).data ?? 'unchanged'] += n;
      counts.total += n;
    }
  }
  return { buckets, totals, histogram, codes };
}
