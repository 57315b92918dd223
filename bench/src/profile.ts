/**
 * `npx tsx src/profile.ts [count] [--http]`: where does a sync's time go? Runs `count` new typical
 * syncs and their re-syncs in process (or, with --http, `count` realistic proposals over HTTP with
 * 8 in flight) under the V8 CPU profiler (node:inspector), then prints self time per package/area and
 * the top functions. Used to explain the benchmark's figures (see README).
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { createDatabase } from './databases.js';
import { HttpClient } from './http-client.js';
import { overHttp, throughput } from './measure.js';
import { PayloadFactory } from './payloads.js';
import { StatementCounter } from './statement-counter.js';
import { msSince } from './stats.js';
import { startServer, Upsync } from './upsync.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

function area(url: string): string {
  if (!url) return '(native/gc/idle)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const pkg = /\/(packages|apps|bench)\/([^/]+)\//.exec(url);
  if (pkg) return `@upsync/${pkg[2]}`;
  if (url.startsWith('node:')) return 'node core';
  return url;
}

async function main(): Promise<void> {
  const count = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 200);
  const viaHttp = process.argv.includes('--http');
  const db = await createDatabase('upsync_bench_profile');
  const upsync = await Upsync.open(db.url).catch(async (error: unknown) => {
    await db.drop();
    throw error;
  });
  const counter = new StatementCounter(db.name);
  const factory = new PayloadFactory({ seed: 1, namespace: 'prof' });
  try {
    for (let i = 0; i < 20; i++) await upsync.sync(factory.typical()); // warm-up
    const payloads = Array.from({ length: count }, () => factory.typical());
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    if (viaHttp) {
      const server = await startServer(upsync);
      const client = new HttpClient(server.url, 8);
      const batch = Array.from({ length: count }, () => factory.realistic());
      const cpu0 = process.cpuUsage();
      const r = await throughput(batch, overHttp(client, server.token), 8);
      const cpu = process.cpuUsage(cpu0);
      console.log(
        `realistic over HTTP, 8 in flight: ${r.perSecond.toFixed(0)}/s, ${((cpu.user + cpu.system) / 1000 / count).toFixed(1)} ms of this process's CPU per proposal (server and client), ${r.failures} failures`,
      );
      client.close();
      await server.close();
    } else {
      counter.reset();
      let start = process.hrtime.bigint();
      for (const p of payloads) await upsync.sync(p);
      const newMs = msSince(start) / count;
      const newDb = counter.snapshot().dbMs / count;
      counter.reset();
      start = process.hrtime.bigint();
      for (const p of payloads) await upsync.sync(p);
      const resyncMs = msSince(start) / count;
      const resyncDb = counter.snapshot().dbMs / count;
      console.log(
        `new typical: ${newMs.toFixed(2)} ms/sync, of which waiting on statements ${newDb.toFixed(2)} ms`,
      );
      console.log(
        `re-sync:     ${resyncMs.toFixed(2)} ms/sync, of which waiting on statements ${resyncDb.toFixed(2)} ms`,
      );
    }
    const { profile } = (await session.post('Profiler.stop')) as {
      profile: { nodes: ProfileNode[]; samples: number[] };
    };
    session.disconnect();
    await writeFile('/tmp/upsync-sync.cpuprofile', JSON.stringify(profile));
    const byArea = new Map<string, number>();
    const byFn = new Map<string, number>();
    let total = 0;
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      total += hits;
      const a =
        node.callFrame.functionName === '(idle)' ? '(idle: waiting for MariaDB)' : area(node.callFrame.url);
      byArea.set(a, (byArea.get(a) ?? 0) + hits);
      const f = `${node.callFrame.functionName || '(anonymous)'} ${area(node.callFrame.url)}:${node.callFrame.lineNumber}`;
      byFn.set(f, (byFn.get(f) ?? 0) + hits);
    }
    const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)} %`;
    console.log('\nself time by area:');
    for (const [a, n] of [...byArea].sort((x, y) => y[1] - x[1]).slice(0, 15))
      console.log(`  ${pct(n)}  ${a}`);
    console.log('\ntop functions (self time):');
    for (const [f, n] of [...byFn].sort((x, y) => y[1] - x[1]).slice(0, 25)) console.log(`  ${pct(n)}  ${f}`);
    console.log('\nprofile written to /tmp/upsync-sync.cpuprofile');
  } finally {
    counter.close();
    await upsync.close();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
