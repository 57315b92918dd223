// The SQL pieces syncStats and its roll-up share (the same on MariaDB and SQLite).

/** Duration histogram: PER_OCTAVE log-spaced buckets per doubling; bucket d is [2^(d/4), 2^((d+1)/4)) ms. */
export const PER_OCTAVE = 4;
/** Durations under 1/16 ms share one bucket, whose upper bound is 1/16 ms. */
export const UNDERFLOW = -17;

/** The duration bucket of a run, in SQL. */
export const DURATION_BUCKET = `CASE WHEN durationMs < ${2 ** ((UNDERFLOW + 1) / PER_OCTAVE)} THEN ${UNDERFLOW} ELSE FLOOR(LOG2(durationMs) * ${PER_OCTAVE}) END`;

/** Upper bound (ms) of duration bucket d. */
export const upperBound = (d: number) => Math.round(2 ** ((d + 1) / PER_OCTAVE) * 1000) / 1000;

/**
 * The grains of the rolled-up counts: the length of the stored ISO text's prefix that names a
 * bucket (`2026-12-06T06:3` is 10 minutes, `2026-12-06T06` an hour, `2026-12-06` a day). A range
 * reads the grain of its own buckets: a week is 168 hours × ~40 counts, not 1,008 ten-minute buckets.
 */
export const ROLLUP_GRAINS = [15, 13, 10] as const;
/** The finest grain: shorter time buckets are counted from the runs themselves. */
export const ROLLUP_MS = 600_000;

/**
 * Runs of `where` grouped into kinds of counts, per time bucket (a prefix of startedAt, `prefix`
 * characters): `c` runs per outcome class, `d` runs per duration bucket, `e` failed runs per
 * error code. Columns b, kind, k, n.
 */
export function groupedRuns(prefix: number, where: string, from = 'upsync_sync_run'): string {
  const b = `SUBSTR(startedAt, 1, ${prefix})`;
  return [
    `SELECT ${b} AS b, 'c' AS kind, COALESCE(outcomeClass, 'unchanged') AS k, COUNT(*) AS n FROM ${from} WHERE ${where} GROUP BY ${b}, outcomeClass`,
    `SELECT ${b} AS b, 'd' AS kind, CAST(${DURATION_BUCKET} AS CHAR) AS k, COUNT(*) AS n FROM ${from} WHERE ${where} GROUP BY ${b}, ${DURATION_BUCKET}`,
    `SELECT ${b} AS b, 'e' AS kind, COALESCE(errorCode, 'UNKNOWN') AS k, COUNT(*) AS n FROM ${from} WHERE ${where} AND outcome = 'failed' GROUP BY ${b}, errorCode`,
  ].join(' UNION ALL ');
}

/**
 * The runs not rolled up yet: joined to the mark by its primary key, which MariaDB reads while
 * planning (a const table), so `id > lastId` is a range of the primary key (a scalar subquery
 * there was not: the whole startedAt range was scanned).
 */
export const NOT_ROLLED_UP =
  "upsync_sync_stat_mark AS m JOIN upsync_sync_run ON m.name = 'rolled' AND upsync_sync_run.id > m.lastId";
