import { quantile } from './stats.js';

/** One printed row of the soak (an interval, a minute by default). */
export interface SoakInterval {
  syncsPerSecond: number;
  p50: number;
  p99: number;
  /** The server's event-loop delay p99 (ms): the worst of the interval's readings. */
  loopP99: number;
  /** Means of the interval's readings (bytes). */
  rss: number;
  heap: number;
  failures: number;
  /** Every latency of the interval, sorted (ms). */
  latencies: number[];
}

/** Rows before memory is compared (start-up, V8 compiling, pools and caches filling). */
export const WARM_ROWS = 5;
/** Rows in the baseline window (rows 5–10) and in the final window (the last 5) of p99. */
export const WINDOW_ROWS = 5;
export const MAX_MEMORY_GROWTH = 0.1;
export const MAX_P99_GROWTH = 0.3;

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;

function p99Of(rows: readonly SoakInterval[]): number {
  return quantile(
    rows.flatMap((r) => r.latencies).sort((a, b) => a - b),
    0.99,
  );
}

/**
 * The pass criteria: no failed sync; RSS and heap of the last row within 10 % of the first row
 * after the warm-up (row 6: minute 5–6); p99 of the last five rows at most 30 % above that of rows
 * 6–10 (minutes 5–10). Needs at least WARM_ROWS + 2 × WINDOW_ROWS rows.
 */
export function soakVerdict(
  rows: readonly SoakInterval[],
  { tailFailures = 0 } = {},
): { pass: boolean; lines: string[] } {
  const lines: string[] = [];
  let pass = true;
  const check = (ok: boolean, line: string) => {
    pass &&= ok;
    lines.push(`${ok ? 'ok  ' : 'FAIL'} ${line}`);
  };
  const failures = rows.reduce((a, r) => a + r.failures, 0) + tailFailures;
  check(failures === 0, `failed syncs: ${failures} (must be 0)`);
  const needed = WARM_ROWS + 2 * WINDOW_ROWS;
  if (rows.length < needed) {
    check(false, `${rows.length} rows: the memory and p99 criteria need at least ${needed}`);
    return { pass, lines };
  }
  const base = rows[WARM_ROWS]!;
  const last = rows[rows.length - 1]!;
  for (const [name, key] of [
    ['RSS', 'rss'],
    ['heap', 'heap'],
  ] as const) {
    const growth = last[key] / base[key] - 1;
    check(
      growth <= MAX_MEMORY_GROWTH,
      `${name} ${(base[key] / 1024 ** 2).toFixed(1)} → ${(last[key] / 1024 ** 2).toFixed(1)} MiB from row ${WARM_ROWS + 1} to the last: ${pct(growth)} (at most ${pct(MAX_MEMORY_GROWTH)})`,
    );
  }
  const early = p99Of(rows.slice(WARM_ROWS, WARM_ROWS + WINDOW_ROWS));
  const late = p99Of(rows.slice(-WINDOW_ROWS));
  const growth = late / early - 1;
  check(
    growth <= MAX_P99_GROWTH,
    `p99 ${early.toFixed(1)} ms (rows ${WARM_ROWS + 1}–${WARM_ROWS + WINDOW_ROWS}) → ${late.toFixed(1)} ms (last ${WINDOW_ROWS} rows): ${pct(growth)} (at most ${pct(MAX_P99_GROWTH)})`,
  );
  return { pass, lines };
}
