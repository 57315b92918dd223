import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchDatabase } from '../src/databases.js';
import { connect } from '../src/db.js';
import { HttpClient, type HttpResult, mapConcurrent } from '../src/http-client.js';
import { integrityViolations } from '../src/invariants.js';
import { type JsonObject, PayloadFactory } from '../src/payloads.js';
import { type ServerProcess, serverBuilt, startServerProcess } from '../src/server-process.js';
import { SYNC_PATH } from '../src/upsync.js';
import { relDatabase } from './harness.js';
import { mariadbReachable, packagesReady } from './support.js';

const reachable = await mariadbReachable();
const built = serverBuilt() && (await packagesReady());
if (!built) {
  const message =
    'apps/server/dist/main.js is missing: build the server (npm run build) to run the concurrency suite';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n*** SKIPPING: ${message} ***\n`);
}
const TOKEN = 'concurrency-token-0123456789';
/** Rounds of 50 concurrent syncs (1 in `npm test`; more with UPSYNC_CONCURRENCY_ROUNDS, see `npm run test:long`). */
const ROUNDS = Number(process.env.UPSYNC_CONCURRENCY_ROUNDS ?? 1);

/** POSTs with retries on 503 (retryable errors: lock retries exhausted, database unavailable). */
async function syncWithRetry(
  client: HttpClient,
  payload: JsonObject,
): Promise<{ res: HttpResult; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    const res = await client.request(SYNC_PATH, {
      body: payload,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    if (res.status !== 503 || attempt >= 8) return { res, attempts: attempt };
    await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
  }
}

/** Distinct identities in a batch of payloads (what the database must hold exactly once). */
function identities(payloads: JsonObject[]) {
  const persons = new Set<string>();
  const proposals = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as JsonObject;
      if (typeof o.login === 'string') persons.add(o.login);
      Object.values(o).forEach(walk);
    }
  };
  for (const p of payloads) {
    proposals.add(String((p.proposal as JsonObject).externalId));
    walk(p);
  }
  return { persons: persons.size, proposals: proposals.size };
}

describe.skipIf(!reachable || !built)('concurrency: two server processes on one database', () => {
  let db: BenchDatabase;
  const servers: ServerProcess[] = [];
  const clients: HttpClient[] = [];

  beforeAll(async () => {
    db = await relDatabase('concurrency');
    const env = { DATABASE_URL: db.url, UPSYNC_API_TOKENS: `rel:${TOKEN}` };
    servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
    clients.push(...servers.map((s) => new HttpClient(s.url, 32)));
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all(servers.map((s) => s.stop()));
    await db?.drop();
  });

  it(`${ROUNDS} × 50 concurrent syncs of overlapping proposals: all succeed, one row per identity`, async () => {
    // a small shared pool: most proposals share persons and laboratories
    const factory = new PayloadFactory({ seed: 5, namespace: 'cc', sharedPersons: 12, sharedLabs: 4 });
    const everything: JsonObject[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const distinct = Array.from({ length: 35 }, () => factory.realistic());
      everything.push(...distinct);
      // and the reference's failure: the same new proposal pushed twice at once, through both servers
      const payloads = [...distinct, ...distinct.slice(0, 15).map((p) => structuredClone(p))];
      const order = payloads.map((p, i) => ({ p, i })).sort((a, b) => (a.i % 15) - (b.i % 15) || a.i - b.i);
      const outcomes = await mapConcurrent(order, 50, ({ p, i }) => syncWithRetry(clients[i % 2]!, p));
      const failed = outcomes.filter((o) => o.res.status !== 200);
      const retried = outcomes.filter((o) => o.attempts > 1).length;
      console.info(
        `concurrency round ${round}: ${outcomes.length} syncs, ${retried} needed retries, ${failed.length} failed`,
      );
      expect(failed.map((o) => `${o.res.status} ${o.res.text.slice(0, 300)}`)).toEqual([]);

      const conn = await connect(db.name);
      try {
        expect(await integrityViolations(conn)).toEqual({});
        const want = identities(everything);
        const [[persons], [proposals]] = await Promise.all([
          conn.query<import('mysql2').RowDataPacket[]>('SELECT COUNT(*) AS n FROM Person'),
          conn.query<import('mysql2').RowDataPacket[]>('SELECT COUNT(*) AS n FROM Proposal'),
        ]);
        expect(Number(persons[0]!.n)).toBe(want.persons);
        expect(Number(proposals[0]!.n)).toBe(want.proposals);
      } finally {
        await conn.end();
      }
    }
  });
});
