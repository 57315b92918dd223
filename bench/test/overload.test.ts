import { createUpsyncClient, type RetryEvent } from '@upsync/client';
import type { TSyncProposalInput } from '@upsync/schema';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db.js';
import { HttpClient, mapConcurrent } from '../src/http-client.js';
import { duplicateGroups, integrityViolations, proposalState } from '../src/invariants.js';
import { type JsonObject, PayloadFactory } from '../src/payloads.js';
import {
  processRssBytes,
  type ServerProcess,
  serverBuilt,
  startServerProcess,
} from '../src/server-process.js';
import { quantile } from '../src/stats.js';
import { BENCH_TOKEN, SYNC_PATH } from '../src/upsync.js';
import { type Harness, relDatabase } from './harness.js';
import { mariadbReachable, packagesReady } from './support.js';

const available = (await mariadbReachable()) && (await packagesReady()) && serverBuilt();

const auth = { authorization: `Bearer ${BENCH_TOKEN}` };
/** Far more requests in flight than 2 cores and one database serve at once. */
const CONCURRENCY = 64;
const BATCH = 128;
/** A bound low enough to be reached for sure on any machine (the default is 16). */
const BOUND = 8;

/** Resident set size of a process (MiB). */
const rssMiB = (pid: number | undefined) => (processRssBytes(pid) ?? Number.NaN) / 1024 ** 2;

describe.skipIf(!available)('overload: far more syncs in flight than the server runs at once', () => {
  let db: Harness['db'];
  let admin: mysql.Connection;
  let server: ServerProcess;
  let client: HttpClient;
  const factory = new PayloadFactory({ seed: 64, namespace: 'overload', sharedPersons: 30, sharedLabs: 5 });
  let baselineRss = 0;
  let peakRss = 0;
  let peakRunning = 0;
  let sampler: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    db = await relDatabase('overload');
    admin = await connect(db.name);
    server = await startServerProcess({
      DATABASE_URL: db.url,
      UPSYNC_API_TOKENS: `bench:${BENCH_TOKEN}`,
      UPSYNC_MAX_SYNCS_IN_FLIGHT: String(BOUND),
    });
    client = new HttpClient(server.url, CONCURRENCY + 2);
    // warm (pool, V8), then the memory of a process that has served syncs
    await mapConcurrent(
      Array.from({ length: 16 }, () => factory.typical()),
      4,
      (p) => client.request(SYNC_PATH, { body: p, headers: auth }),
    );
    baselineRss = rssMiB(server.child.pid);
    // the server's own view, while loaded: memory, and syncs running (never above the bound)
    sampler = setInterval(async () => {
      peakRss = Math.max(peakRss, rssMiB(server.child.pid));
      const res = await client.request('/metrics', { method: 'GET', headers: auth }).catch(() => undefined);
      const running = /^upsync_syncs_in_flight\{state="running"\} (\d+)/m.exec(res?.text ?? '')?.[1];
      if (running !== undefined) peakRunning = Math.max(peakRunning, Number(running));
    }, 100);
  });
  afterAll(async () => {
    clearInterval(sampler);
    client?.close();
    await server?.stop();
    await admin?.end();
    await db?.drop();
  });

  it(`c=${CONCURRENCY} without client retries: beyond ${BOUND} in flight, 503 with Retry-After, nothing written for those; memory bounded`, async () => {
    const payloads = Array.from({ length: BATCH }, () => factory.typical());
    const started = Date.now();
    const results = await mapConcurrent(payloads, CONCURRENCY, async (payload) => ({
      payload,
      res: await client.request(SYNC_PATH, { body: payload, headers: auth, timeoutMs: 60_000 }),
    }));
    const seconds = (Date.now() - started) / 1000;
    const ok = results.filter((r) => r.res.status === 200);
    const shed = results.filter((r) => r.res.status === 503);
    const metrics = (await client.request('/metrics', { method: 'GET', headers: auth })).text;
    const shedTotal = [...metrics.matchAll(/^upsync_syncs_shed_total\{reason="(\w+)"\} (\d+)/gm)].map(
      (m) => `${m[1]}=${m[2]}`,
    );
    const shedMs = shed.map((r) => r.res.ms).sort((a, b) => a - b);
    const okMs = ok.map((r) => r.res.ms).sort((a, b) => a - b);
    console.info(
      `overload: ${BATCH} syncs at c=${CONCURRENCY} in ${seconds.toFixed(1)} s: ${ok.length} × 200, ${shed.length} × 503 (answered in ${Math.round(shedMs[0] ?? 0)} ms min, ${Math.round(quantile(shedMs, 0.5))} ms p50, ${Math.round(shedMs.at(-1) ?? 0)} ms max; the 200s in ${Math.round(quantile(okMs, 0.5))} ms p50, ${Math.round(okMs.at(-1) ?? 0)} ms max; shed ${shedTotal.join(' ')}); at most ${peakRunning} running; RSS ${baselineRss.toFixed(0)} MiB after warm-up, peak ${peakRss.toFixed(0)} MiB`,
    );
    expect(ok.length + shed.length).toBe(BATCH);
    expect(shed.length).toBeGreaterThan(0);
    for (const r of shed) {
      expect(r.res.headers['retry-after']).toBe('1');
      expect(r.res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    }
    // shed at once or after the short wait for a slot (1 s), not after the syncs ahead of it: the
    // typical 503 comes well before the typical 200 (the tail is the loaded machine's)
    expect(quantile(shedMs, 0.5)).toBeLessThan(quantile(okMs, 0.5));
    expect(peakRunning).toBeGreaterThan(0);
    expect(peakRunning).toBeLessThanOrEqual(BOUND);
    expect(shedTotal.length).toBeGreaterThan(0);
    for (const r of ok) expect(await proposalState(admin, r.payload)).toBe('complete');
    for (const r of shed) expect(await proposalState(admin, r.payload)).toBe('absent');
    expect(peakRss).toBeLessThan(baselineRss + 200);
  }, 120_000);

  it(`c=${CONCURRENCY} through the SDK: its retries (after Retry-After) make the whole batch succeed`, async () => {
    const retries: RetryEvent[] = [];
    const sdk = createUpsyncClient({
      url: server.url,
      token: BENCH_TOKEN,
      retries: 20,
      retryDelayMs: 200,
      maxRetryDelayMs: 5_000,
      onRetry: (event) => {
        retries.push(event);
      },
    });
    const payloads: JsonObject[] = Array.from({ length: BATCH }, () => factory.typical());
    const started = Date.now();
    const outcomes = await mapConcurrent(payloads, CONCURRENCY, (payload) =>
      sdk.syncProposal(payload as unknown as TSyncProposalInput).then(
        () => 'ok',
        (error: Error) => error.message,
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    const on503 = retries.filter((r) => r.reason === 'HTTP 503');
    console.info(
      `overload: ${BATCH} syncs through the SDK at c=${CONCURRENCY} in ${seconds.toFixed(1)} s, ${retries.length} retries (${on503.length} after a 503, waits ${Math.min(...on503.map((r) => r.delayMs))}–${Math.max(...on503.map((r) => r.delayMs))} ms); at most ${peakRunning} running; RSS peak ${peakRss.toFixed(0)} MiB`,
    );
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
    expect(on503.length).toBeGreaterThan(0);
    // the SDK waited at least what Retry-After asked (1 s)
    for (const r of on503) expect(r.delayMs).toBeGreaterThanOrEqual(1_000);
    expect(peakRunning).toBeLessThanOrEqual(BOUND);
    for (const p of payloads) expect(await proposalState(admin, p)).toBe('complete');
    expect(await duplicateGroups(admin)).toEqual([]);
    expect(await integrityViolations(admin)).toEqual({});
    expect(peakRss).toBeLessThan(baselineRss + 200);
  }, 180_000);
});
