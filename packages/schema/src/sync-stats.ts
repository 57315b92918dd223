import * as z from 'zod';
import { ZInstant } from './sync-run.js';

/** The ranges the console offers; `from`/`to` give any other (at most MAX_STATS_SPAN_DAYS). */
export const ZSyncStatsRange = z.enum(['1h', '24h', '7d']);
export type TSyncStatsRange = z.infer<typeof ZSyncStatsRange>;

/** Longest `from`..`to` span: day buckets, at most MAX_STATS_BUCKETS of them. */
export const MAX_STATS_BUCKETS = 168;
export const MAX_STATS_SPAN_DAYS = MAX_STATS_BUCKETS;

/**
 * syncStats' input: `range` (default `24h`, ending now) or `from` (+ `to`, default now).
 * Not both: a range is always "the last …".
 */
export const ZSyncStatsQuery = z
  .object({
    range: ZSyncStatsRange.optional(),
    from: ZInstant.optional(),
    to: ZInstant.optional(),
  })
  .refine((q) => !(q.range !== undefined && (q.from !== undefined || q.to !== undefined)), {
    message: 'give either range or from/to, not both',
    path: ['range'],
  })
  .refine((q) => !(q.to !== undefined && q.from === undefined), {
    message: 'to needs from',
    path: ['from'],
  });
export type TSyncStatsQueryInput = z.input<typeof ZSyncStatsQuery>;
export type TSyncStatsQuery = z.output<typeof ZSyncStatsQuery>;

const count = z.number().int().min(0);

/** Runs per outcome class (ZSyncRunOutcomeClass) and their total. */
export const ZSyncStatsCounts = z.object({
  changed: count,
  unchanged: count,
  failed: count,
  dryRun: count,
  total: count,
});
export type TSyncStatsCounts = z.infer<typeof ZSyncStatsCounts>;

/** Duration percentiles (ms) of a set of runs; null when it has none. */
const percentiles = {
  /** Median duration: the upper bound of the histogram bucket that holds it (see `durationResolution`). */
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
};

/** One time bucket of the series: runs that started in [start, start + bucketMs). */
export const ZSyncStatsBucket = ZSyncStatsCounts.extend({
  start: z.string().meta({ description: 'ISO 8601 UTC start of the bucket' }),
  /** total / bucket length in seconds. */
  perSecond: z.number(),
  ...percentiles,
});
export type TSyncStatsBucket = z.infer<typeof ZSyncStatsBucket>;

/** syncStats' answer: counts, most frequent failure codes and a bounded time series. */
export const ZSyncStats = z.object({
  /** The range actually counted (ISO 8601 UTC); `from` is rounded down to a bucket start. */
  from: z.string(),
  to: z.string(),
  /** Length of one bucket: 60000 (1 min), 600000 (10 min), 3600000 (1 h) or 86400000 (1 day). */
  bucketMs: z.number().int(),
  totals: ZSyncStatsCounts.extend(percentiles),
  /** The 10 most frequent error codes of failed runs, most frequent first. */
  failureCodes: z.array(z.object({ code: z.string(), count })),
  /** Every bucket of the range, oldest first, empty ones included (at most MAX_STATS_BUCKETS + 1). */
  buckets: z.array(ZSyncStatsBucket),
  /**
   * Percentiles come from a histogram of log-spaced duration buckets grouped in SQL: a reported
   * percentile is the upper bound of its bucket, at most this factor above the exact value (2^(1/4)).
   */
  durationResolution: z.number(),
});
export type TSyncStats = z.infer<typeof ZSyncStats>;
