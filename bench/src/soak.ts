/**
 * `npm run soak`: realistic proposals and their re-syncs at a fixed concurrency over HTTP, against
 * the real server in its own process on MariaDB, for a configurable time (default 30 minutes).
 * Prints one row per interval (default a minute) — syncs/s, p50/p99, the server's event-loop delay
 * p99, its RSS and heap, its CPU time per sync (tells a slower server from a busier machine: the
 * machine is shared), the load average — and the pass criteria at the end. Not part of `npm test`.
 */
import os from 'node:os';
import { Command } from 'commander';
import { positive } from './cli-options.js';
import { createDatabase } from './databases.js';
import { connect } from './db.js';
import { HttpClient } from './http-client.js';
import { machineInfo } from './machine.js';
import { defaultNamespace, type JsonObject, PayloadFactory } from './payloads.js';
import { processCpuMs, processRssBytes, serverBuilt, startServerProcess } from './server-process.js';
import { type SoakInterval, soakVerdict } from './soak-criteria.js';
import { fmtMs, quantile } from './stats.js';
import { BENCH_TOKEN, SYNC_PATH, Upsync } from './upsync.js';

interface Options {
  minutes: number;
  concurrency: number;
  interval: number;
  indexes: boolean;
  keep: boolean;
}

function parseOptions(argv: string[]): Options {
  const program = new Command('soak')
    .description(
      'Realistic syncs and re-syncs at a fixed concurrency for a long time; prints a row per interval',
    )
    .option('--minutes <n>', 'how long to run', positive, 30)
    .option('--concurrency <n>', 'requests in flight', positive, 8)
    .option(
      '--interval <seconds>',
      'seconds per printed row (the criteria count rows, not minutes)',
      positive,
      60,
    )
    .option('--no-indexes', 'without the optional index migration (look-ups slow down as tables grow)')
    .option('--keep', 'keep the upsync_bench_soak database afterwards', false)
    .parse(argv);
  return program.opts<Options>();
}

/** Of the syncs: new proposals, unchanged re-syncs, and re-syncs with a changed title. */
const NEW_SHARE = 0.5;
const CHANGED_SHARE = 0.1;
/** Re-syncs draw from the most recent proposals synced (client memory stays bounded). */
const POOL = 2_000;
/** The server's memory and event-loop delay are read this often (ms). */
const SAMPLE_MS = 5_000;

interface Bucket {
  latencies: number[];
  /** CPU time the server process used during the row (ms). */
  cpuMs?: number;
  failures: number;
  firstError?: string;
  rss: number[];
  heap: number[];
  loopP99: number[];
}

const emptyBucket = (): Bucket => ({ latencies: [], failures: 0, rss: [], heap: [], loopP99: [] });

/** One gauge of a Prometheus text exposition (the first series of that name). */
function gauge(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const mib = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 1024 ** 2).toFixed(1) : '–');

async function main() {
  const o = parseOptions(process.argv);
  if (!serverBuilt()) throw new Error('the server is not built: run `npm run build` first');
  const log = (line: string) => console.log(line);

  const admin = await connect();
  const machine = await machineInfo(admin);
  await admin.end();
  log(
    `soak: ${new Date().toISOString()}, ${machine.cpus} cpu(s) ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, MariaDB ${machine.mariadb}, load ${machine.loadAverage.join(' ')}`,
  );
  log(
    `soak: ${o.minutes} min at concurrency ${o.concurrency}, a row every ${o.interval} s; ${NEW_SHARE * 100} % new realistic proposals, ${(1 - NEW_SHARE - CHANGED_SHARE) * 100} % unchanged re-syncs, ${CHANGED_SHARE * 100} % re-syncs with a change; indexes ${o.indexes ? 'on' : 'off'}`,
  );

  const db = await createDatabase('upsync_bench_soak');
  const upsync = await Upsync.open(db.url);
  if (o.indexes) await upsync.migrateIndexes();
  await upsync.close();
  const server = await startServerProcess({
    DATABASE_URL: db.url,
    UPSYNC_API_TOKENS: `bench:${BENCH_TOKEN}`,
  });
  const client = new HttpClient(server.url, o.concurrency + 1);
  const auth = { authorization: `Bearer ${BENCH_TOKEN}` };

  const factory = new PayloadFactory({ seed: 7, namespace: defaultNamespace() });
  const pool: JsonObject[] = [];
  const rng = Math.random;
  const nextPayload = (): JsonObject => {
    const r = rng();
    if (pool.length === 0 || r < NEW_SHARE) return factory.realistic();
    const earlier = pool[Math.floor(rng() * pool.length)]!;
    if (r >= NEW_SHARE + CHANGED_SHARE) return earlier;
    const changed = structuredClone(earlier);
    (changed.proposal as JsonObject).title = `Realistic proposal, revised ${Date.now()}`;
    return changed;
  };

  let current = emptyBucket();
  const started = Date.now();
  // whole rows only: the run ends with the last one
  const totalRows = Math.max(1, Math.round((o.minutes * 60) / o.interval));
  let finished: () => void = () => {};
  const allRows = new Promise<void>((resolve) => {
    finished = resolve;
  });
  let stop = false;

  const worker = async () => {
    while (!stop) {
      const payload = nextPayload();
      const t = performance.now();
      try {
        const res = await client.request(SYNC_PATH, { body: payload, headers: auth, timeoutMs: 60_000 });
        if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 300)}`);
        // counted in the row during which it ended
        current.latencies.push(performance.now() - t);
        pool.push(payload);
        if (pool.length > POOL) pool.splice(0, pool.length - POOL);
      } catch (error) {
        current.failures += 1;
        current.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };

  // every scrape of /metrics resets prom-client's event-loop histogram: each reading is the p99 of
  // the last SAMPLE_MS, and a row shows the worst of its readings
  const sample = async () => {
    const bucket = current;
    const rss = processRssBytes(server.child.pid);
    if (rss !== undefined) bucket.rss.push(rss);
    const res = await client.request('/metrics', { method: 'GET', headers: auth }).catch(() => undefined);
    if (res?.status !== 200) return;
    const heap = gauge(res.text, 'upsync_process_nodejs_heap_size_used_bytes');
    const lag = gauge(res.text, 'upsync_process_nodejs_eventloop_lag_p99_seconds');
    if (heap !== undefined) bucket.heap.push(heap);
    if (lag !== undefined) bucket.loopP99.push(lag * 1000);
  };

  log(
    `${'row'.padStart(4)} ${'syncs/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'loop p99'.padStart(9)} ${'RSS MiB'.padStart(8)} ${'heap MiB'.padStart(9)} ${'fail'.padStart(5)} ${'cpu ms/sync'.padStart(11)} ${'load'.padStart(5)}`,
  );
  const rows: SoakInterval[] = [];
  const printRow = (bucket: Bucket, seconds: number) => {
    const sorted = [...bucket.latencies].sort((a, b) => a - b);
    const row: SoakInterval = {
      syncsPerSecond: bucket.latencies.length / seconds,
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      loopP99: bucket.loopP99.length ? Math.max(...bucket.loopP99) : Number.NaN,
      rss: mean(bucket.rss),
      heap: mean(bucket.heap),
      failures: bucket.failures,
      latencies: sorted,
    };
    rows.push(row);
    log(
      `${String(rows.length).padStart(4)} ${row.syncsPerSecond.toFixed(1).padStart(8)} ${fmtMs(row.p50).padStart(7)} ${fmtMs(row.p99).padStart(7)} ${fmtMs(row.loopP99).padStart(9)} ${mib(row.rss).padStart(8)} ${mib(row.heap).padStart(9)} ${String(row.failures).padStart(5)} ${fmtMs((bucket.cpuMs ?? Number.NaN) / bucket.latencies.length).padStart(11)} ${os.loadavg()[0]!.toFixed(2).padStart(5)}${bucket.firstError ? `  first failure: ${bucket.firstError}` : ''}`,
    );
  };

  const sampler = setInterval(() => void sample(), SAMPLE_MS);
  let intervalStart = Date.now();
  let cpuStart = processCpuMs(server.child.pid);
  const rotate = setInterval(() => {
    const done = current;
    current = emptyBucket();
    const now = Date.now();
    const cpu = processCpuMs(server.child.pid);
    done.cpuMs = cpu !== undefined && cpuStart !== undefined ? cpu - cpuStart : Number.NaN;
    cpuStart = cpu;
    printRow(done, (now - intervalStart) / 1000);
    intervalStart = now;
    if (rows.length >= totalRows) finished();
  }, o.interval * 1000);
  const workers = Array.from({ length: o.concurrency }, worker);
  await allRows;
  stop = true;
  clearInterval(rotate);
  clearInterval(sampler);
  await Promise.all(workers);
  // the syncs that ended after the last full row count as failures or not, but are not a row
  const tailFailures = current.failures;

  client.close();
  await server.stop();
  if (!o.keep) await db.drop();

  const verdict = soakVerdict(rows, { tailFailures });
  log(
    `soak: ${rows.reduce((a, r) => a + r.latencies.length, 0)} syncs in ${((Date.now() - started) / 60_000).toFixed(1)} min, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const line of verdict.lines) log(`soak: ${line}`);
  log(`soak: ${verdict.pass ? 'PASS' : 'FAIL'}`);
  process.exitCode = verdict.pass ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
