/**
 * `npm run bench`: latency, statements and throughput of upsync against MariaDB with ISPyB's DDL,
 * prefilled with N rows per table, without and with the optional index migration.
 * Prints a table and writes results/<timestamp>.json. Not part of `npm test`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { positive } from './cli-options.js';
import { createDatabase } from './databases.js';
import { connect } from './db.js';
import { HttpClient } from './http-client.js';
import { cpuTicks, machineInfo, mariadbPid, stealPercent } from './machine.js';
import {
  inProcess,
  newThenResync,
  overHttp,
  series,
  type ThroughputResult,
  throughput,
  warmUp,
} from './measure.js';
import { defaultNamespace, PayloadFactory } from './payloads.js';
import { prefill, waitForFlush } from './prefill.js';
import {
  type BenchReport,
  type ConfigResult,
  checkTargets,
  renderMarkdown,
  renderTable,
  renderTargets,
} from './report.js';
import { processCpuMs, serverBuilt, startServerProcess } from './server-process.js';
import { StatementCounter } from './statement-counter.js';
import { msSince } from './stats.js';
import { BENCH_TOKEN, startServer, Upsync } from './upsync.js';

interface Options {
  sizes: number[];
  runs: number;
  warmup: number;
  proposals: number;
  warmupProposals: number;
  repeat: number;
  concurrency: number[];
  indexes: 'both' | 'with' | 'without';
  http: boolean;
  keep: boolean;
  server: 'process' | 'inprocess';
  quick: boolean;
  log: boolean;
  render?: string;
}

const intList = (value: string) =>
  value.split(',').map((v) => {
    const n = Number(v.trim());
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`not a non-negative integer: ${v}`);
    return n;
  });
function parseOptions(argv: string[]): Options {
  const program = new Command('bench')
    .description('Benchmark upsync against MariaDB (see bench/README.md)')
    .option('--sizes <list>', 'rows per table to prefill', intList, [0, 10_000, 100_000])
    .option('--runs <n>', 'timed runs per latency series (≥ 30 for the README)', positive, 30)
    .option(
      '--warmup <n>',
      'untimed new syncs (each re-synced once) before each latency series (at most 10 s)',
      positive,
      300,
    )
    .option('--proposals <n>', 'realistic proposals per throughput batch', positive, 200)
    .option(
      '--warmup-proposals <n>',
      'untimed realistic proposals before each throughput batch, at its concurrency (at most 10 s)',
      positive,
      500,
    )
    .option('--repeat <n>', 'timed throughput batches per concurrency; the median is reported', positive, 3)
    .option('--concurrency <list>', 'HTTP concurrencies for throughput', intList, [1, 8])
    .option('--indexes <which>', 'both | with | without (the optional index migration)', 'both')
    .option('--no-http', 'skip the HTTP measurements')
    .option('--keep', 'keep the upsync_bench_* databases afterwards', false)
    .option(
      '--server <where>',
      'throughput target: process (node apps/server/dist/main.js, LOG_LEVEL=warn) or inprocess',
      'process',
    )
    .option('--log', 'print the statements of one typical new sync and one re-sync', false)
    .option('--quick', 'smoke run: sizes 0,10000, 10 runs, 50 proposals', false)
    .option('--render <file>', 'print the table of a results JSON and make it results/latest.md; no run')
    .parse(argv);
  const o = program.opts<Options>();
  if (!['both', 'with', 'without'].includes(o.indexes))
    program.error('--indexes must be both, with or without');
  if (!['process', 'inprocess'].includes(o.server)) program.error('--server must be process or inprocess');
  if (o.server === 'process' && !serverBuilt()) {
    process.stderr.write('apps/server/dist/main.js is missing: throughput runs against the in-process app\n');
    o.server = 'inprocess';
  }
  if (o.quick) {
    const given = (name: string) => program.getOptionValueSource(name) === 'cli';
    if (!given('sizes')) o.sizes = [0, 10_000];
    if (!given('runs')) o.runs = 10;
    if (!given('proposals')) o.proposals = 50;
    if (!given('warmup')) o.warmup = 50;
    if (!given('warmupProposals')) o.warmupProposals = 100;
    if (!given('repeat')) o.repeat = 1;
  }
  return o;
}

const log = (msg: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/**
 * The batch with the median rate (the lower middle one of an even count), with every batch's rate
 * and the failures of all of them.
 */
function medianBatch(batches: ThroughputResult[]): ThroughputResult {
  const sorted = [...batches].sort((a, b) => a.perSecond - b.perSecond);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const firstError = batches.find((b) => b.firstError)?.firstError;
  return {
    ...median,
    failures: batches.reduce((sum, b) => sum + b.failures, 0),
    ...(firstError ? { firstError } : {}),
    batches: batches.map((b) => b.perSecond),
  };
}

/** Measures one configuration on an open database. */
async function measureConfig(
  upsync: Upsync,
  dbName: string,
  n: number,
  indexes: boolean,
  o: Options,
  keyBase: number,
  dbPid: number | undefined,
): Promise<Omit<ConfigResult, 'prefillMs'>> {
  const counter = new StatementCounter(dbName);
  const factory = new PayloadFactory({
    seed: n + (indexes ? 1 : 0),
    namespace: `${defaultNamespace()}${indexes ? 'i' : 'n'}`,
    keyBase,
  });
  const typical = (k: number) => Array.from({ length: k }, () => factory.typical());
  try {
    const sync = inProcess(upsync);
    await warmUp(() => factory.typical(), newThenResync(sync), 1, o.warmup);
    if (o.log) {
      const p = factory.typical();
      counter.reset(true);
      let t = process.hrtime.bigint();
      await sync(p);
      log(
        `statements of one typical new sync (${msSince(t).toFixed(2)} ms in all; times in ms):\n  ${counter.statements().join('\n  ')}`,
      );
      counter.reset(true);
      t = process.hrtime.bigint();
      await sync(p);
      log(
        `statements of its unchanged re-sync (${msSince(t).toFixed(2)} ms in all):\n  ${counter.statements().join('\n  ')}`,
      );
    }
    log(`N=${n} indexes=${indexes}: ${o.runs} new typical proposals in-process`);
    const fresh = typical(o.runs);
    const newInProcess = await series(fresh, sync, counter);
    log(`N=${n} indexes=${indexes}: ${o.runs} unchanged re-syncs in-process`);
    const resyncInProcess = await series(fresh, sync, counter);
    const result: Omit<ConfigResult, 'prefillMs'> = {
      n,
      indexes,
      newInProcess,
      resyncInProcess,
      throughput: [],
    };
    if (!o.http) return result;
    const server = await startServer(upsync);
    const client = new HttpClient(server.url, Math.max(...o.concurrency, 1));
    try {
      const http = overHttp(client, server.token);
      await warmUp(() => factory.typical(), newThenResync(http), 1, o.warmup);
      log(`N=${n} indexes=${indexes}: ${o.runs} new typical proposals over HTTP, then re-syncs`);
      const freshHttp = typical(o.runs);
      result.newHttp = await series(freshHttp, http, counter);
      result.resyncHttp = await series(freshHttp, http, counter);
    } finally {
      client.close();
      await server.close();
    }
    // Throughput: by default against the real server in its own process, so that the load generator
    // does not share the server's event loop (on 2 cores: client, server and MariaDB compete anyway).
    const target =
      o.server === 'process'
        ? await startServerProcess({
            DATABASE_URL: upsync.databaseUrl,
            UPSYNC_API_TOKENS: `bench:${BENCH_TOKEN}`,
          })
        : undefined;
    const inproc = target ? undefined : await startServer(upsync);
    const tpClient = new HttpClient(target?.url ?? inproc!.url, Math.max(...o.concurrency, 1));
    try {
      const http = overHttp(tpClient, BENCH_TOKEN);
      for (const c of o.concurrency) {
        // A fresh server process runs its first syncs partly unoptimised (V8 compiles hot code as
        // it goes: ~8 ms of server CPU a proposal over the first 300, ~4.5 ms from ~1,000 on):
        // each batch is timed at the steady state of a long-running service, after untimed
        // proposals at its own concurrency.
        await warmUp(() => factory.realistic(), http, c, o.warmupProposals);
        log(
          `N=${n} indexes=${indexes}: batches of ${o.proposals} realistic proposals over HTTP, concurrency ${c} (${o.server})`,
        );
        // the median of up to `repeat` batches (fewer when they are slow: 15 s per concurrency)
        const batches: ThroughputResult[] = [];
        const until = Date.now() + 15_000;
        do {
          const batch = Array.from({ length: o.proposals }, () => factory.realistic());
          const cpu0 = processCpuMs(target?.child.pid);
          const db0 = processCpuMs(dbPid);
          const own0 = process.cpuUsage();
          const b = await throughput(batch, http, c);
          const own = process.cpuUsage(own0);
          const cpu1 = processCpuMs(target?.child.pid);
          const db1 = processCpuMs(dbPid);
          if (cpu0 !== undefined && cpu1 !== undefined)
            b.serverCpuMsPerProposal = (cpu1 - cpu0) / batch.length;
          if (db0 !== undefined && db1 !== undefined) b.mariadbCpuMsPerProposal = (db1 - db0) / batch.length;
          b.benchCpuMsPerProposal = (own.user + own.system) / 1000 / batch.length;
          batches.push(b);
        } while (batches.length < o.repeat && Date.now() < until);
        const t = medianBatch(batches);
        result.throughput.push(t);
      }
    } finally {
      tpClient.close();
      await target?.stop();
      await inproc?.close();
    }
    return result;
  } finally {
    counter.close();
  }
}

/** results/latest.md: the table and target checks of one full run. */
async function writeLatest(dir: string, report: BenchReport): Promise<void> {
  const { machine, results, targets } = report;
  const md = [
    '# Latest full benchmark',
    '',
    `${report.startedAt}: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, MariaDB ${machine.mariadb}, Node ${machine.node}; load average ${machine.loadAverage.join(' ')} at the start, ${report.loadAverageEnd.join(' ')} at the end; ${report.stealPercent === undefined ? '' : `${report.stealPercent} % of the CPU time stolen by the hypervisor; `}calibration ${machine.calibrationMs ?? '?'} ms (a fixed piece of JSON work on one core: lower is a faster machine).`,
    '',
    renderMarkdown(results),
    '',
    '| target | measured | met |',
    '| --- | --- | --- |',
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met === null ? '–' : t.met ? 'yes' : 'no'} |`),
    '',
  ].join('\n');
  await writeFile(`${dir}latest.md`, md);
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv);
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  if (o.render) {
    const report = JSON.parse(await readFile(o.render, 'utf8')) as BenchReport;
    process.stdout.write(`${renderTable(report.results)}\n\n${renderTargets(report.targets)}\n`);
    await writeLatest(dir, report);
    return;
  }
  const startedAt = new Date();
  const ticks0 = cpuTicks();
  const admin = await connect();
  const machine = await machineInfo(admin);
  const dbPid = await mariadbPid(admin);
  await admin.end();
  log(
    `${machine.cpus} cpu(s) ${machine.cpuModel}, MariaDB ${machine.mariadb}, load ${machine.loadAverage.join(' ')}, calibration ${machine.calibrationMs} ms`,
  );
  const results: ConfigResult[] = [];
  const variants = o.indexes === 'both' ? [false, true] : [o.indexes === 'with'];
  for (const n of o.sizes) {
    for (const [i, indexes] of variants.entries()) {
      // each configuration on a database of its own, prefilled afresh: a run without the indexes
      // leaves thousands of rows and a buffer pool churned by full scans, which slowed the run
      // with them that followed it on the same database by ~20 % at N = 100,000 (measured)
      const db = await createDatabase(`upsync_bench_n${n}${indexes ? 'i' : ''}`);
      try {
        const conn = await connect(db.name);
        let filled: Awaited<ReturnType<typeof prefill>>;
        let upsync: Upsync;
        try {
          log(`N=${n}: prefilling ${db.name}`);
          filled = await prefill(conn, n);
          log(`N=${n}: prefilled in ${filled.ms} ms`);
          upsync = await Upsync.open(db.url);
          if (indexes) await upsync.migrateIndexes();
          const waited = await waitForFlush(conn);
          if (waited > 500) log(`N=${n}: waited ${waited} ms for MariaDB to write the new pages`);
        } finally {
          await conn.end();
        }
        try {
          const r = await measureConfig(
            upsync,
            db.name,
            n,
            indexes,
            o,
            1_000_000_000 + i * 100_000_000,
            dbPid,
          );
          results.push({ ...r, prefillMs: filled.ms });
        } finally {
          await upsync.close();
        }
      } finally {
        if (!o.keep) await db.drop();
      }
    }
  }
  for (const r of results) {
    const errors = [r.newInProcess, r.resyncInProcess, r.newHttp, r.resyncHttp, ...r.throughput]
      .map((x) => x?.firstError)
      .filter(Boolean);
    if (errors.length) log(`N=${r.n} indexes=${r.indexes}: failures, first: ${errors[0]}`);
  }
  const targets = checkTargets(results);
  process.stdout.write(`\n${renderTable(results)}\n\n${renderTargets(targets)}\n`);
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    options: { ...o },
    machine,
    loadAverageEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
    stealPercent: stealPercent(ticks0, cpuTicks()),
    results,
    targets,
  };
  await mkdir(dir, { recursive: true });
  const file = `${dir}${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  if (!o.quick && o.sizes.length >= 3) await writeLatest(dir, report);
  log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
