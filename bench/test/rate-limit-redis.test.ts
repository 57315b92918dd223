import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, type HttpResult } from '../src/http-client.js';
import { type JsonObject, PayloadFactory } from '../src/payloads.js';
import { type ServerProcess, serverBuilt, startServerProcess } from '../src/server-process.js';
import { BENCH_TOKEN, SYNC_PATH } from '../src/upsync.js';
import { type Harness, relDatabase } from './harness.js';
import { PrivateRedis, redisCli, redisReachable, testRedisUrl } from './redis-support.js';
import { mariadbReachable, packagesReady } from './support.js';

const available =
  (await mariadbReachable()) && (await packagesReady()) && serverBuilt() && (await redisReachable());

const auth = { authorization: `Bearer ${BENCH_TOKEN}` };
/** A cheap authenticated API request: rate-limited like a sync, no database work. */
const SCHEMA = `${SYNC_PATH}/schema`;

interface Replica {
  server: ServerProcess;
  client: HttpClient;
}

async function startReplica(env: Record<string, string>): Promise<Replica> {
  const server = await startServerProcess({ UPSYNC_API_TOKENS: `bench:${BENCH_TOKEN}`, ...env });
  return { server, client: new HttpClient(server.url, 4) };
}

async function stopReplica(r: Replica | undefined) {
  r?.client.close();
  await r?.server.stop();
}

/** A gauge or counter of a replica's /metrics (undefined when absent). */
async function metric(r: Replica, name: string): Promise<number | undefined> {
  const res = await r.client.request('/metrics', { method: 'GET', headers: auth });
  const m = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(res.text);
  return m ? Number(m[1]) : undefined;
}

const statuses = (results: HttpResult[]) => {
  const counts: Record<number, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
};

describe.skipIf(!available)('rate limits in Redis (UPSYNC_RATE_LIMIT_REDIS_URL)', () => {
  let db: Harness['db'];
  const factory = new PayloadFactory({ seed: 25, namespace: 'rlredis', sharedPersons: 0, sharedLabs: 1 });
  const sync = (r: Replica, payload: JsonObject) =>
    r.client.request(SYNC_PATH, { body: payload, headers: auth });

  beforeAll(async () => {
    db = await relDatabase('ratelimit');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('three replicas on one Redis: the limit holds across them, under its own key prefix', async () => {
    // a prefix of this run's own: other deployments (and runs) on the shared Redis are not counted
    const prefix = `upsync-test-${randomBytes(4).toString('hex')}:`;
    const env = {
      DATABASE_URL: db.url,
      UPSYNC_RATE_LIMIT: '12',
      UPSYNC_RATE_LIMIT_WINDOW_MS: '60000',
      UPSYNC_RATE_LIMIT_REDIS_URL: testRedisUrl(),
      UPSYNC_RATE_LIMIT_PREFIX: prefix,
    };
    const replicas: Replica[] = [];
    try {
      // started together (each takes seconds on a loaded machine); whatever started is stopped below
      const started = await Promise.allSettled([0, 1, 2].map(() => startReplica(env)));
      for (const s of started) if (s.status === 'fulfilled') replicas.push(s.value);
      for (const s of started) if (s.status === 'rejected') throw s.reason;
      for (const r of replicas) expect(await metric(r, 'upsync_rate_limit_store_up')).toBe(1);
      // 30 requests, round robin: 12 pass in all (not 12 per replica), the rest are refused
      const results: HttpResult[] = [];
      for (let i = 0; i < 30; i++)
        results.push(await replicas[i % 3]!.client.request(SCHEMA, { method: 'GET', headers: auth }));
      expect(statuses(results)).toEqual({ 200: 12, 429: 18 });
      // every replica refused some: each saw the others' requests
      for (let i = 0; i < 3; i++)
        expect(results.filter((r, j) => j % 3 === i && r.status === 429).length).toBe(6);
      const refused = results.find((r) => r.status === 429)!;
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryable: true });
      // the counter lives under the prefix; nothing outside it was written by this run
      const keys = (await redisCli(testRedisUrl(), '--scan', '--pattern', `${prefix}*`)).split('\n');
      expect(keys).toEqual([`${prefix}principal:bench`]);
      expect(await redisCli(testRedisUrl(), 'GET', keys[0]!)).toBe('30');
      await redisCli(testRedisUrl(), 'DEL', keys[0]!);
    } finally {
      for (const r of replicas) await stopReplica(r);
    }
  });

  it('Redis going away: syncs go on without the limit (logged once, counted), and the limit returns with Redis', async () => {
    const redis = await PrivateRedis.start();
    let replica: Replica | undefined;
    try {
      replica = await startReplica({
        DATABASE_URL: db.url,
        UPSYNC_RATE_LIMIT: '8',
        UPSYNC_RATE_LIMIT_REDIS_URL: redis.url,
        UPSYNC_RATE_LIMIT_PREFIX: 'outage:',
        LOG_LEVEL: 'info',
      });
      const r = replica;
      const get = () => r.client.request(SCHEMA, { method: 'GET', headers: auth });
      expect((await sync(r, factory.typical())).status).toBe(200);
      expect(await metric(r, 'upsync_rate_limit_store_up')).toBe(1);

      await redis.stop();
      // 12 requests and 3 syncs, over the limit of 8: all pass, each at once (no wait for Redis)
      const during: HttpResult[] = [];
      for (let i = 0; i < 12; i++) during.push(await get());
      for (let i = 0; i < 3; i++) during.push(await sync(r, factory.typical()));
      expect(statuses(during)).toEqual({ 200: 15 });
      expect(Math.max(...during.slice(0, 12).map((x) => x.ms))).toBeLessThan(1_500);
      expect(await metric(r, 'upsync_rate_limit_store_up')).toBe(0);
      expect(await metric(r, 'upsync_rate_limit_store_errors_total')).toBeGreaterThanOrEqual(15);
      const outageLines = r.server
        .output()
        .split('\n')
        .filter((l) => l.includes('Redis unavailable'));
      expect(outageLines.length, r.server.output().slice(-3000)).toBe(1);

      await redis.resume();
      const back = Date.now();
      for (;;) {
        if ((await metric(r, 'upsync_rate_limit_store_up')) === 1) break;
        if (Date.now() - back > 15_000) throw new Error('Redis not picked up again within 15 s');
        await new Promise((res) => setTimeout(res, 200));
      }
      // counted again, in the new (empty) Redis: 8 pass, then 429
      const after: HttpResult[] = [];
      for (let i = 0; i < 10; i++) after.push(await get());
      expect(statuses(after)).toEqual({ 200: 8, 429: 2 });
      expect(r.server.output()).toMatch(/Redis connected/);
      console.info(`rate limits: Redis picked up again ${Date.now() - back} ms after it returned`);
    } finally {
      await stopReplica(replica);
      await redis.destroy();
    }
  });
});
