import {
  MAX_STATS_BUCKETS,
  MAX_STATS_SPAN_DAYS,
  type TSyncStats,
  type TSyncStatsBucket,
  type TSyncStatsCounts,
  type TSyncStatsQueryInput,
  ZSyncStatsQuery,
} from '@upsync/schema';
import type { UpsyncOrm } from '../orm/internals.js';
import { validationFailed } from '../sync-error.js';
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

/** Duration histogram: PER_OCTAVE log-spaced buckets per doubling; bucket d is [2^(d/4), 2^((d+1)/4)) ms. */
const PER_OCTAVE = 4;
/** Durations under 2^(UNDERFLOW+1)/4 ms (1/16 ms) share one bucket. */
const UNDERFLOW = -17;
const upperBound = (d: number) => Math.round(2 ** ((d + 1) / PER_OCTAVE) * 1000) / 1000;

const CLASSES = ['changed', 'unchanged', 'failed', 'dryRun'] as const;
const TOP_FAILURE_CODES = 10;

interface Group {
  b: string;
  c: string;
  d: number;
  e: string | null;
  n: number;
}

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
  return { start, to, granularity };
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

/**
 * Counts by outcome class, the most frequent failure codes and a time series (runs per class,
 * throughput, p50/p95 duration) of the sync history. One grouped SELECT over a range of the
 * covering index upsync_sync_run_stats: rows come back per (time bucket, class, duration bucket,
 * error code), never per run. Throws SyncError (VALIDATION_FAILED on a bad query).
 */
export async function syncStats(
  orm: UpsyncOrm,
  query: TSyncStatsQueryInput = {},
  options: { now?: Date } = {},
): Promise<TSyncStats> {
  const { start, to, granularity } = resolveRange(query, options.now ?? new Date());
  const duration = `CASE WHEN durationMs < ${2 ** ((UNDERFLOW + 1) / PER_OCTAVE)} THEN ${UNDERFLOW} ELSE FLOOR(LOG2(durationMs) * ${PER_OCTAVE}) END`;
  const rows = (await readHistory(
    orm,
    `SELECT SUBSTR(startedAt, 1, ${granularity.prefix}) AS b, outcomeClass AS c, ${duration} AS d, ` +
      'errorCode AS e, COUNT(*) AS n FROM upsync_sync_run WHERE startedAt >= ? AND startedAt < ? ' +
      'GROUP BY b, c, d, e',
    [start.toISOString(), to.toISOString()],
  )) as unknown as Group[];

  const buckets = new Map<number, { counts: TSyncStatsCounts; histogram: Map<number, number> }>();
  for (let t = start.getTime(); t < to.getTime(); t += granularity.ms)
    buckets.set(t, { counts: zero(), histogram: new Map() });
  const totals = zero();
  const histogram = new Map<number, number>();
  const codes = new Map<string, number>();
  for (const row of rows) {
    const n = Number(row.n);
    const d = Number(row.d);
    const c = (CLASSES as readonly string[]).includes(row.c)
      ? (row.c as (typeof CLASSES)[number])
      : 'unchanged';
    const bucket = buckets.get(Date.parse(granularity.complete(row.b)));
    for (const [counts, hist] of [
      [totals, histogram],
      ...(bucket ? [[bucket.counts, bucket.histogram] as const] : []),
    ] as const) {
      counts[c] += n;
      counts.total += n;
      hist.set(d, (hist.get(d) ?? 0) + n);
    }
    if (c === 'failed') codes.set(row.e ?? 'UNKNOWN', (codes.get(row.e ?? 'UNKNOWN') ?? 0) + n);
  }

  const series: TSyncStatsBucket[] = [...buckets].map(([t, { counts, histogram: hist }]) => {
    const seconds = (Math.min(t + granularity.ms, to.getTime()) - t) / 1000;
    return {
      start: new Date(t).toISOString(),
      ...counts,
      perSecond: seconds > 0 ? counts.total / seconds : 0,
      p50Ms: percentile(hist, counts.total, 0.5),
      p95Ms: percentile(hist, counts.total, 0.95),
    };
  });
  return {
    from: start.toISOString(),
    to: to.toISOString(),
    bucketMs: granularity.ms,
    totals: {
      ...totals,
      p50Ms: percentile(histogram, totals.total, 0.5),
      p95Ms: percentile(histogram, totals.total, 0.95),
    },
    failureCodes: [...codes]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
      .slice(0, TOP_FAILURE_CODES),
    buckets: series,
    durationResolution: 2 ** (1 / PER_OCTAVE),
  };
}
