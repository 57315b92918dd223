/**
 * `npm run bench:galera --workspace=@upsync/bench` (or `npm run bench:galera` at the root):
 * throughput of three server processes, one per node of the three-node Galera test cluster
 * (scripts/galera-cluster.sh), beside one server process on one MariaDB — same payloads (new
 * proposals sharing persons and laboratories), same total client concurrency, requests spread
 * round-robin over the replicas as a load balancer would. Not part of `npm test`.
 */
import os from 'node:os';
import { testGaleraUrls } from '@upsync/sync-core/testing';
import { Command } from 'commander';
import { createDatabase } from './databases.js';
import { serverUrl } from './db.js';
import { HttpClient, mapConcurrent } from './http-client.js';
import { type JsonObject, PayloadFactory } from './payloads.js';
import { type ServerProcess, serverBuilt, startServerProcess } from './server-process.js';
import { BENCH_TOKEN, SYNC_PATH } from './upsync.js';

interface Run {
  label: string;
  replicas: number;
  syncs: number;
  seconds: number;
  perSecond: number;
  retried: number;
}

/** Sends `payloads` over `urls` (round robin) with `concurrency` in flight; 503s retried. */
async function drive(
  label: string,
  urls: string[],
  payloads: JsonObject[],
  concurrency: number,
): Promise<Run> {
  const clients = urls.map((u) => new HttpClient(u, concurrency));
  let retried = 0;
  const started = performance.now();
  try {
    await mapConcurrent(payloads, concurrency, async (payload, i) => {
      for (let attempt = 0; ; attempt++) {
        const res = await clients[i % clients.length]!.request(SYNC_PATH, {
          body: payload,
          headers: { authorization: `Bearer ${BENCH_TOKEN}` },
        });
        if (res.status === 200) return;
        if (res.status !== 503 || attempt >= 8)
          throw new Error(`${label}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
        retried++;
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    });
  } finally {
    for (const c of clients) c.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    label,
    replicas: urls.length,
    syncs: payloads.length,
    seconds,
    perSecond: payloads.length / seconds,
    retried,
  };
}

async function withServers<T>(databaseUrls: string[], fn: (urls: string[]) => Promise<T>): Promise<T> {
  const servers: ServerProcess[] = [];
  try {
    for (const url of databaseUrls)
      servers.push(
        await startServerProcess({ DATABASE_URL: url, UPSYNC_API_TOKENS: `bench:${BENCH_TOKEN}` }),
      );
    return await fn(servers.map((s) => s.url));
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

function payloadsFor(seed: number, count: number, namespace: string): JsonObject[] {
  const factory = new PayloadFactory({ seed, namespace, sharedPersons: 300, sharedLabs: 30 });
  return Array.from({ length: count }, () => factory.typical());
}

async function main() {
  const program = new Command('bench-galera')
    .option('--proposals <n>', 'syncs per configuration', '600')
    .option('--warmup <n>', 'syncs before measuring, per configuration', '60')
    .option('--concurrency <n>', 'requests in flight (in all)', '12')
    .parse(process.argv);
  const opts = program.opts<{ proposals: string; warmup: string; concurrency: string }>();
  const proposals = Number(opts.proposals);
  const warmup = Number(opts.warmup);
  const concurrency = Number(opts.concurrency);
  if (!serverBuilt()) throw new Error('build the server first (npm run build)');

  const runs: Run[] = [];
  const single = await createDatabase('upsync_bench_galera_single', serverUrl());
  try {
    runs.push(
      await withServers([single.url], async (urls) => {
        await drive('warm-up', urls, payloadsFor(1, warmup, 'gbw1'), concurrency);
        return drive('1 server, 1 MariaDB', urls, payloadsFor(2, proposals, 'gbs'), concurrency);
      }),
    );
  } finally {
    await single.drop();
  }

  const nodes = testGaleraUrls();
  const cluster = await createDatabase('upsync_bench_galera_cluster', nodes[0]!);
  try {
    const urls = nodes.map((n) => {
      const u = new URL(n);
      u.pathname = `/${cluster.name}`;
      return u.toString();
    });
    runs.push(
      await withServers(urls, async (servers) => {
        await drive('warm-up', servers, payloadsFor(3, warmup, 'gbw2'), concurrency);
        return drive(
          `${nodes.length} replicas, ${nodes.length}-node Galera`,
          servers,
          payloadsFor(4, proposals, 'gbc'),
          concurrency,
        );
      }),
    );
  } finally {
    await cluster.drop();
  }

  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(
    `\n${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${load}; ${proposals} typical new proposals sharing persons and laboratories, ${concurrency} requests in flight\n`,
  );
  console.log('| configuration | syncs | seconds | syncs/s | 503s retried |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of runs)
    console.log(
      `| ${r.label} | ${r.syncs} | ${r.seconds.toFixed(1)} | ${r.perSecond.toFixed(0)} | ${r.retried} |`,
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
