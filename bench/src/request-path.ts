/**
 * `npm run request-path -- [--rounds n] [--warmup n] [--cpu-block n] [--main path] [--log-level l]`:
 * what a request costs outside sync-core. Starts the built server in its own process (as the
 * benchmark's throughput batches do) on a fresh empty database and warms it with `--warmup` new
 * typical syncs and their re-syncs. Then:
 *
 * - latency: `--rounds` rounds of four requests over one keep-alive connection (`GET /health`, a 422
 *   for `{"proposal":{}}`, a new typical proposal, the same again unchanged), and for the syncs the
 *   part outside syncProposal (HTTP latency minus the result's `elapsedMs`, validation to commit);
 * - server CPU per request along a ladder of requests that each stop one stage later (from /proc,
 *   over blocks of `--cpu-block` requests, the blocks of every kind taken in turn `--repeat` times,
 *   median block): the difference between two rungs is what that stage costs. Wall times are noisy
 *   on a shared machine; CPU much less so.
 *
 * `--main` runs another checkout's built server, for A/B comparisons; `--profile n` then profiles n
 * more new syncs and their re-syncs and prints the server's CPU per request by stage
 * (profile-stages.ts). Prints numbers; not a test.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { positive } from './cli-options.js';
import { createDatabase } from './databases.js';
import { HttpClient, type HttpResult } from './http-client.js';
import { newThenResync, warmUp } from './measure.js';
import { type JsonObject, PayloadFactory } from './payloads.js';
import { stagesOf } from './profile-stages.js';
import { processCpuMs, SERVER_MAIN, startServerProcess } from './server-process.js';
import { fmtMs, summarize } from './stats.js';
import { BENCH_TOKEN, SYNC_PATH } from './upsync.js';

interface Options {
  rounds: number;
  warmup: number;
  cpuBlock: number;
  repeat: number;
  main: string;
  logLevel: string;
  profile?: number;
}

const program = new Command('request-path')
  .description("A request's cost outside sync-core, over HTTP against the built server")
  .option('--rounds <n>', 'timed latency rounds (health, 422, new, re-sync)', positive, 200)
  .option('--warmup <n>', 'untimed new syncs (each re-synced) before timing', positive, 300)
  .option('--cpu-block <n>', 'requests per CPU block (syncs: a fifth of it)', positive, 1000)
  .option('--repeat <n>', 'CPU blocks of each kind, taken in turn', positive, 3)
  .option('--main <path>', "the server's main.js (another checkout's, for A/B)", SERVER_MAIN)
  .option('--log-level <level>', "the server's LOG_LEVEL (the benchmark runs it with warn)", 'warn')
  .option(
    '--profile <n>',
    'run the server under the V8 CPU profiler and print its CPU per sync request by stage, over n more new syncs and their re-syncs (every figure is then inflated by the profiler)',
    positive,
  );

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function main(): Promise<void> {
  const o = program.parse().opts<Options>();
  const db = await createDatabase('upsync_bench_reqpath');
  const profileDir = o.profile ? await mkdtemp(path.join(tmpdir(), 'upsync-request-path-')) : undefined;
  const server = await startServerProcess(
    {
      DATABASE_URL: db.url,
      UPSYNC_API_TOKENS: `bench:${BENCH_TOKEN}`,
      LOG_LEVEL: o.logLevel,
      // limits that thousands of requests a minute stay under (the limiters still count each one)
      UPSYNC_RATE_LIMIT: '10000000',
      UPSYNC_RATE_LIMIT_ANONYMOUS: '10000000',
    },
    30_000,
    {
      main: o.main,
      ...(profileDir && {
        nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=250'],
      }),
    },
  );
  const client = new HttpClient(server.url, 1);
  const auth = { authorization: `Bearer ${BENCH_TOKEN}` };
  const factory = new PayloadFactory({ seed: 7 });
  const expect = async (what: string, status: number, res: Promise<HttpResult>) => {
    const r = await res;
    if (r.status !== status) throw new Error(`${what}: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
    return r;
  };
  const post = (body: unknown, headers: Record<string, string> = auth, path = SYNC_PATH) =>
    client.request(path, { body, headers, raw: typeof body === 'string' });
  const sync = (payload: JsonObject) => expect('sync', 200, post(payload));
  // a typical payload's bytes with one stray brace at the end: read, checked and parsed whole, refused
  const broken = `${JSON.stringify(factory.typical())}}`;
  /** The ladder: each rung runs one more stage of the request than the one before. */
  const rungs: { label: string; stage: string; send: () => Promise<unknown> }[] = [
    {
      label: 'GET /health',
      stage: 'HTTP, request log, security headers, JSON answer',
      send: () => expect('health', 200, client.request('/health')),
    },
    {
      label: 'sync, no token (401)',
      stage: '+ API prelude (authenticate, anonymous rate limit, no-store, signal), 401 via error middleware',
      send: () => expect('401', 401, post({ proposal: {} }, {})),
    },
    {
      label: 'sync, ?bogus=1 (422)',
      stage: '+ token accepted, principal rate limit, route, strict query → 422',
      send: () => expect('query 422', 422, post({ proposal: {} }, auth, `${SYNC_PATH}?bogus=1`)),
    },
    {
      label: 'typical bytes, bad JSON (422)',
      stage: '+ body read, UTF-8 and depth checks, JSON.parse of a typical payload',
      send: () => expect('json 422', 422, post(broken)),
    },
    {
      label: '{"proposal":{}} (422)',
      stage: '+ tRPC caller, sync-core validation, history row (a DB write), 422 envelope',
      send: () => expect('422', 422, post({ proposal: {} })),
    },
  ];
  try {
    await warmUp(() => factory.typical(), newThenResync(sync), 1, o.warmup);
    for (const rung of rungs) for (let i = 0; i < 50; i++) await rung.send();

    const ms: Record<string, number[]> = { health: [], invalid: [], new: [], resync: [] };
    const outside: Record<string, number[]> = { new: [], resync: [] };
    for (let i = 0; i < o.rounds; i++) {
      ms.health!.push((await expect('health', 200, client.request('/health'))).ms);
      ms.invalid!.push((await expect('422', 422, post({ proposal: {} }))).ms);
      const payload = factory.typical();
      for (const kind of ['new', 'resync'] as const) {
        const res = await sync(payload);
        ms[kind]!.push(res.ms);
        outside[kind]!.push(res.ms - (res.body as { elapsedMs: number }).elapsedMs);
      }
    }

    const pid = server.child.pid;
    const cpuOf = async (count: number, one: (i: number) => Promise<unknown>) => {
      const before = processCpuMs(pid);
      for (let i = 0; i < count; i++) await one(i);
      const after = processCpuMs(pid);
      return before === undefined || after === undefined ? Number.NaN : (after - before) / count;
    };
    const cpu: number[][] = rungs.map(() => []);
    const syncCpu = { new: [] as number[], resync: [] as number[] };
    const syncs = Math.max(1, Math.round(o.cpuBlock / 5));
    for (let r = 0; r < o.repeat; r++) {
      for (const [i, rung] of rungs.entries()) cpu[i]!.push(await cpuOf(o.cpuBlock, rung.send));
      const payloads = Array.from({ length: syncs }, () => factory.typical());
      syncCpu.new.push(await cpuOf(syncs, (i) => sync(payloads[i]!)));
      syncCpu.resync.push(await cpuOf(syncs, (i) => sync(payloads[i]!)));
    }

    console.log(
      `server ${o.main}, LOG_LEVEL=${o.logLevel}, after ${o.warmup} warm-up syncs (+ re-syncs), ${o.rounds} latency rounds`,
    );
    console.log('\nlatency over one keep-alive connection (ms)');
    console.log('request                      p50     p95   outside syncProposal p50');
    const label = {
      health: 'GET /health',
      invalid: '{"proposal":{}} (422)',
      new: 'new typical',
      resync: 're-sync',
    };
    for (const kind of ['health', 'invalid', 'new', 'resync'] as const) {
      const s = summarize(ms[kind]!);
      const out = outside[kind] ? fmtMs(summarize(outside[kind]).p50) : '–';
      console.log(
        `${label[kind].padEnd(26)}${fmtMs(s.p50).padStart(6)}${fmtMs(s.p95).padStart(8)}${out.padStart(12)}`,
      );
    }
    console.log(
      `\nserver CPU per request (ms; median of ${o.repeat} blocks of ${o.cpuBlock}, syncs ${syncs}), and what each rung adds`,
    );
    let previous = 0;
    for (const [i, rung] of rungs.entries()) {
      const c = median(cpu[i]!);
      const added = i === 0 ? '' : `${c - previous >= 0 ? '+' : ''}${(c - previous).toFixed(3)}`;
      console.log(`${rung.label.padEnd(31)}${c.toFixed(3).padStart(7)}${added.padStart(8)}  ${rung.stage}`);
      previous = c;
    }
    console.log(`${'new typical'.padEnd(31)}${median(syncCpu.new).toFixed(3).padStart(7)}`);
    console.log(`${'re-sync'.padEnd(31)}${median(syncCpu.resync).toFixed(3).padStart(7)}`);
    if (o.profile && profileDir) {
      const payloads = Array.from({ length: o.profile }, () => factory.typical());
      const from = process.hrtime.bigint();
      for (const payload of payloads) await newThenResync(sync)(payload);
      const to = process.hrtime.bigint();
      await server.stop(); // the profile is written as the process exits
      const [file] = (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error(`no profile in ${profileDir}`);
      const us = (ns: bigint) => Number(ns / 1000n);
      const stages = await stagesOf(path.join(profileDir, file), us(from), us(to), 2 * o.profile);
      console.log(
        `\nserver CPU per sync request by stage, under the profiler (${o.profile} new typical + re-sync; ${profileDir}/${file})`,
      );
      for (const [stage, ms] of stages) console.log(`${ms.toFixed(3).padStart(8)}  ${stage}`);
      const total = stages.reduce((sum, [, ms]) => sum + ms, 0);
      console.log(`${total.toFixed(3).padStart(8)}  in all`);
    }
  } finally {
    client.close();
    await server.stop();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
