import { createHash } from 'node:crypto';
import {
  createTestDatabase,
  galeraReachable,
  type TestDatabase,
  testGaleraUrls,
} from '@upsync/sync-core/testing';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, mapConcurrent } from '../src/http-client.js';
import { integrityViolations } from '../src/invariants.js';
import { type JsonObject, PayloadFactory } from '../src/payloads.js';
import { type ServerProcess, serverBuilt, startServerProcess } from '../src/server-process.js';
import { BENCH_TOKEN, SYNC_PATH } from '../src/upsync.js';
import { packagesReady } from './support.js';

// The three-node cluster of scripts/galera-cluster.sh (UPSYNC_TEST_GALERA_URLS); skipped loudly
// without it, a failure under CI=true (.ci/run starts it).
const available = (await packagesReady()) && serverBuilt() && (await galeraReachable());

const TABLES = [
  'Laboratory',
  'Person',
  'Proposal',
  'ProposalHasPerson',
  'LabContact',
  'Protein',
  'BLSession',
  'Session_has_Person',
];

/** POSTs with bounded retries of retryable answers (503 + Retry-After), as the SDK does. */
async function syncWithRetries(client: HttpClient, payload: unknown) {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 8; attempt++) {
    const res = await client.request(SYNC_PATH, {
      body: payload,
      headers: { authorization: `Bearer ${BENCH_TOKEN}` },
    });
    statuses.push(res.status);
    if (res.status !== 503) return { res, statuses };
    await new Promise((r) => setTimeout(r, 100 * 2 ** attempt * Math.random()));
  }
  throw new Error(`still 503 after 8 attempts: ${statuses.join(',')}`);
}

/** Each node's ordered contents of the eight tables, hashed, once they have applied the same writes. */
async function nodeChecksums(conns: mysql.Connection[]): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const seqnos = await Promise.all(
      conns.map(async (c) => {
        const [rows] = await c.query<mysql.RowDataPacket[]>("SHOW STATUS LIKE 'wsrep_last_committed'");
        return String(rows[0]!.Value);
      }),
    );
    if (new Set(seqnos).size === 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return Promise.all(
    conns.map(async (c) => {
      const hash = createHash('sha256');
      for (const t of TABLES) {
        const [rows] = await c.query(`SELECT * FROM \`${t}\` ORDER BY 1`);
        hash.update(JSON.stringify(rows));
      }
      return hash.digest('hex');
    }),
  );
}

describe.skipIf(!available)('replicas on a three-node Galera cluster', () => {
  let db: TestDatabase;
  const servers: ServerProcess[] = [];
  const conns: mysql.Connection[] = [];
  const clients: HttpClient[] = [];

  beforeAll(async () => {
    const urls = testGaleraUrls();
    db = await createTestDatabase('galera_replicas', { serverUrl: urls[0]! });
    for (const base of urls) {
      const url = new URL(base);
      url.pathname = `/${db.databaseName}`;
      conns.push(await mysql.createConnection(url.toString()));
      const server = await startServerProcess({
        DATABASE_URL: url.toString(),
        UPSYNC_API_TOKENS: `bench:${BENCH_TOKEN}`,
      });
      servers.push(server);
      clients.push(new HttpClient(server.url, 16));
    }
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all(servers.map((s) => s.stop()));
    await Promise.all(conns.map((c) => c.end()));
    await db?.drop();
  });

  it('200 overlapping concurrent syncs over three replicas: all succeed, one row per identity, identical nodes', async () => {
    const factory = new PayloadFactory({ seed: 14, namespace: 'galera', sharedPersons: 12, sharedLabs: 3 });
    const payloads: JsonObject[] = Array.from({ length: 200 }, () => factory.typical());
    // some persons without externalId: matched by login
    payloads.forEach((p, i) => {
      if (i % 4 === 0)
        for (const person of (p.proposal as JsonObject).persons as JsonObject[]) delete person.externalId;
    });
    const results = await mapConcurrent(payloads, 24, async (payload, i) =>
      syncWithRetries(clients[i % clients.length]!, payload),
    );
    const failed = results.filter((r) => r.res.status !== 200);
    expect(failed.map((r) => `${r.res.status} ${r.res.text.slice(0, 200)}`)).toEqual([]);
    console.info(
      `galera: 200 syncs, ${results.filter((r) => r.statuses.length > 1).length} needed a client retry`,
    );

    const sums = await nodeChecksums(conns);
    expect(new Set(sums).size, `node checksums differ: ${sums.join(' ')}`).toBe(1);
    for (const c of conns) expect(await integrityViolations(c)).toEqual({});

    // every id a result reports points at the row with that key, on every node
    for (const { res } of results.slice(0, 50)) {
      const body = JSON.parse(res.text) as {
        proposal: { proposalId: number; proposalCode: string; proposalNumber: string };
        entities: {
          sessions: { id: number }[];
          proteins: { id: number }[];
          persons: { id: number; key: { login?: string } }[];
        };
      };
      for (const c of conns) {
        const [[q]] = (await c.query(
          'SELECT proposalCode, proposalNumber FROM Proposal WHERE proposalId = ?',
          [body.proposal.proposalId],
        )) as unknown as [[JsonObject]];
        expect(q).toMatchObject({
          proposalCode: body.proposal.proposalCode,
          proposalNumber: body.proposal.proposalNumber,
        });
        for (const s of body.entities.sessions) {
          const [[row]] = (await c.query('SELECT proposalId FROM BLSession WHERE sessionId = ?', [
            s.id,
          ])) as unknown as [[JsonObject]];
          expect(row?.proposalId).toBe(body.proposal.proposalId);
        }
        for (const p of body.entities.persons.filter((x) => x.key.login !== undefined)) {
          const [[row]] = (await c.query('SELECT login FROM Person WHERE personId = ?', [
            p.id,
          ])) as unknown as [[JsonObject]];
          expect(String(row?.login).toLowerCase()).toBe(p.key.login!.toLowerCase());
        }
      }
    }
  });
});
