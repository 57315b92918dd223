import { createUpsyncClient, type RetryEvent } from '@upsync/client';
import type { TSyncProposalInput } from '@upsync/schema';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, countRows } from '../src/db.js';
import { duplicateGroups, integrityViolations, proposalState } from '../src/invariants.js';
import { type JsonObject, PayloadFactory } from '../src/payloads.js';
import { type ServerProcess, serverBuilt, startServerProcess } from '../src/server-process.js';
import { BENCH_TOKEN } from '../src/upsync.js';
import { type Harness, relDatabase } from './harness.js';
import { type RoundRobinProxy, roundRobinProxy } from './round-robin-proxy.js';
import { mariadbReachable, packagesReady } from './support.js';

const available = (await mariadbReachable()) && (await packagesReady()) && serverBuilt();

const auth = { authorization: `Bearer ${BENCH_TOKEN}` };
const CONCURRENCY = 6;
/** Drain before closing: a few of the proxy's probes (every 200 ms) see /ready answer 503. */
const DRAIN_MS = 1_000;

describe.skipIf(!available)('a rolling restart of three replicas behind a load balancer', () => {
  let db: Harness['db'];
  let admin: mysql.Connection;
  const replicas: ServerProcess[] = [];
  let proxy: RoundRobinProxy | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await relDatabase('rolling');
    admin = await connect(db.name);
    env = {
      DATABASE_URL: db.url,
      UPSYNC_API_TOKENS: `bench:${BENCH_TOKEN}`,
      UPSYNC_SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
    };
    // started together; whatever started is stopped in afterAll
    const started = await Promise.allSettled([0, 1, 2].map(() => startServerProcess(env)));
    for (const s of started) if (s.status === 'fulfilled') replicas.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
  });
  afterAll(async () => {
    await proxy?.close();
    await Promise.all(replicas.map((r) => r.stop()));
    await admin?.end();
    await db?.drop();
  });

  it('SIGTERM and restart each replica in turn under continuous SDK pushes: 0 failed, 0 lost, 0 duplicated', async () => {
    const ports = replicas.map((r) => Number(new URL(r.url).port));
    proxy = await roundRobinProxy(ports, auth);
    const retries: RetryEvent[] = [];
    const sdk = createUpsyncClient({
      url: `http://127.0.0.1:${proxy.port}`,
      token: BENCH_TOKEN,
      retries: 8,
      retryDelayMs: 100,
      maxRetryDelayMs: 2_000,
      onRetry: (event) => {
        retries.push(event);
      },
    });
    const factory = new PayloadFactory({ seed: 27, namespace: 'rolling', sharedPersons: 20, sharedLabs: 4 });
    const synced: JsonObject[] = [];
    const failed: string[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const payload = factory.typical();
        try {
          await sdk.syncProposal(payload as unknown as TSyncProposalInput);
          synced.push(payload);
        } catch (error) {
          synced.push(payload); // it may have committed before the answer was lost: checked below
          failed.push(error instanceof Error ? error.message : String(error));
        }
      }
    };
    const started = Date.now();
    const workers = Array.from({ length: CONCURRENCY }, worker);
    await new Promise((r) => setTimeout(r, 1_500));
    const restarts: string[] = [];
    for (let i = 0; i < replicas.length; i++) {
      const t = Date.now();
      const before = synced.length;
      await replicas[i]!.stop(); // SIGTERM: drain, close, finish in flight, exit
      const stoppedMs = Date.now() - t;
      replicas[i] = await startServerProcess({ ...env, PORT: String(ports[i]) });
      restarts.push(
        `replica ${i + 1}: stopped in ${stoppedMs} ms, back after ${Date.now() - t} ms, ${synced.length - before} syncs meanwhile`,
      );
      await new Promise((r) => setTimeout(r, 1_500));
    }
    stop = true;
    await Promise.all(workers);
    const seconds = (Date.now() - started) / 1000;
    const reasons: Record<string, number> = {};
    for (const r of retries) {
      const key = r.reason.replace(/\d{2,}/g, 'N').slice(0, 80);
      reasons[key] = (reasons[key] ?? 0) + 1;
    }
    console.info(
      `rolling restart: ${synced.length} syncs in ${seconds.toFixed(1)} s at c=${CONCURRENCY}, ${failed.length} failed, SDK retries ${retries.length} ${JSON.stringify(reasons)}; connections per backend ${proxy.connections.join('/')}, not-ready probes ${proxy.notReady.join('/')}\n  ${restarts.join('\n  ')}`,
    );

    // 0 failed as the SDK sees them (its retries included)
    expect(failed).toEqual([]);
    expect(synced.length).toBeGreaterThan(20);
    // every replica was drained: its /ready answered 503 before it closed
    for (const n of proxy.notReady) expect(n).toBeGreaterThan(0);
    // 0 lost, 0 duplicated: one whole proposal per push, nothing else, no duplicate rows
    expect(await countRows(admin, 'Proposal')).toBe(synced.length);
    const states = await Promise.all(synced.map((p) => proposalState(admin, p)));
    expect(states.filter((s) => s !== 'complete')).toEqual([]);
    expect(await duplicateGroups(admin)).toEqual([]);
    expect(await integrityViolations(admin)).toEqual({});
  }, 120_000);
});
