import type { HttpClient } from './http-client.js';
import { mapConcurrent } from './http-client.js';
import type { JsonObject } from './payloads.js';
import type { StatementCounter, StatementCounts } from './statement-counter.js';
import { type LatencySummary, msSince, summarize } from './stats.js';
import { SYNC_PATH, type SyncResultLike, type Upsync } from './upsync.js';

/** Syncs one payload; resolves with the result's summary, throws on any failure. */
export type SyncFn = (payload: JsonObject) => Promise<SyncResultLike>;

/** Latencies and per-run statement counts of a sequential series. */
export interface SeriesResult {
  latency: LatencySummary;
  /** Median of each statement count over the runs (and the maximum of writes). */
  statements: StatementCounts & { maxWrites: number };
  /** Share of the wall time spent waiting for MariaDB (sum of statement times / latency). */
  dbShare: number;
  /** Entities reported created or updated, summed over the runs. */
  changed: number;
  /** Runs that failed (not timed), and the first error. */
  failures: number;
  firstError?: string;
}

/** The in-process sync: syncProposal on the bench's ORM handle. */
export function inProcess(upsync: Upsync): SyncFn {
  return (payload) => upsync.sync(payload);
}

/** The REST route of the in-process server, over a keep-alive connection. */
export function overHttp(client: HttpClient, token: string): SyncFn {
  return async (payload) => {
    const res = await client.request(SYNC_PATH, {
      body: payload,
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 500)}`);
    return res.body as SyncResultLike;
  };
}

/** Entities a result reports as created or updated. */
export function changedEntities(result: SyncResultLike): number {
  return Object.values(result.summary ?? {}).reduce((acc, c) => acc + c.created + c.updated + c.deleted, 0);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
};

/** Syncs the payloads one after the other, timing each and counting its statements. */
export async function series(
  payloads: readonly JsonObject[],
  sync: SyncFn,
  counter: StatementCounter,
): Promise<SeriesResult> {
  const latencies: number[] = [];
  const counts: StatementCounts[] = [];
  let changed = 0;
  let failures = 0;
  let firstError: string | undefined;
  for (const payload of payloads) {
    counter.reset();
    const start = process.hrtime.bigint();
    try {
      const result = await sync(payload);
      latencies.push(msSince(start));
      counts.push(counter.snapshot());
      changed += changedEntities(result);
    } catch (error) {
      failures += 1;
      firstError ??= error instanceof Error ? error.message : String(error);
    }
  }
  const keys = [
    'total',
    'roundTrips',
    'select',
    'insert',
    'update',
    'delete',
    'other',
    'service',
    'writes',
    'dbMs',
  ] as const;
  const statements = Object.fromEntries(
    keys.map((k) => [k, median(counts.map((c) => c[k]))]),
  ) as unknown as StatementCounts;
  const totalDb = counts.reduce((acc, c) => acc + c.dbMs, 0);
  const totalWall = latencies.reduce((acc, v) => acc + v, 0);
  return {
    latency: summarize(latencies),
    statements: { ...statements, maxWrites: Math.max(0, ...counts.map((c) => c.writes)) },
    dbShare: totalWall ? totalDb / totalWall : 0,
    changed,
    failures,
    ...(firstError ? { firstError } : {}),
  };
}

/** Throughput of a batch pushed with a fixed concurrency. */
export interface ThroughputResult {
  concurrency: number;
  proposals: number;
  failures: number;
  seconds: number;
  perSecond: number;
  latency: LatencySummary;
  /** CPU of the server process per proposal (ms), when it runs in its own process. */
  serverCpuMsPerProposal?: number;
  /** CPU of the MariaDB server per proposal (ms), when it runs on this machine. */
  mariadbCpuMsPerProposal?: number;
  /** CPU of the benchmark process itself (payloads, HTTP client) per proposal (ms). */
  benchCpuMsPerProposal?: number;
  /** Proposals/s of every timed batch, when several ran (this result is the median one). */
  batches?: number[];
  firstError?: string;
}

/** Pushes every payload with `concurrency` requests in flight; failures are counted, not thrown. */
export async function throughput(
  payloads: readonly JsonObject[],
  sync: SyncFn,
  concurrency: number,
): Promise<ThroughputResult> {
  const latencies: number[] = [];
  let failures = 0;
  let firstError: string | undefined;
  const start = process.hrtime.bigint();
  await mapConcurrent(payloads, concurrency, async (payload) => {
    const t = process.hrtime.bigint();
    try {
      await sync(payload);
      latencies.push(msSince(t));
    } catch (error) {
      failures += 1;
      firstError ??= error instanceof Error ? error.message : String(error);
    }
  });
  const seconds = msSince(start) / 1000;
  return {
    concurrency,
    proposals: payloads.length,
    failures,
    seconds,
    perSecond: (payloads.length - failures) / seconds,
    latency: summarize(latencies),
    ...(firstError ? { firstError } : {}),
  };
}

/**
 * Untimed syncs before a latency series or a throughput batch: `count` of them, or as many as 10 s
 * allow (without the indexes at N = 100,000 a proposal takes ~0.1 s, and the database is not what
 * warms up).
 */
export async function warmUp(
  next: () => JsonObject,
  sync: (payload: JsonObject) => Promise<unknown>,
  concurrency: number,
  count: number,
): Promise<void> {
  const until = Date.now() + 10_000;
  let left = count;
  const worker = async () => {
    while (left > 0 && Date.now() < until) {
      left -= 1;
      await sync(next());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * A payload synced new, then again unchanged: warms both paths. V8 optimises upsync's code over
 * its first few hundred syncs (measured at N = 100,000 with the indexes: new p50 17.8–19.1 ms
 * after 5 untimed syncs in a fresh process, 8.8–11.1 ms after 500), so a configuration measured
 * first in the process would otherwise time a cold engine and the later ones a warm one.
 */
export function newThenResync(sync: (payload: JsonObject) => Promise<unknown>) {
  return async (payload: JsonObject) => {
    await sync(payload);
    await sync(payload);
  };
}
