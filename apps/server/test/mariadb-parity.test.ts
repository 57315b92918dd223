import { createTRPCClient, httpLink } from '@trpc/client';
import { closeOrm } from '@upsync/sync-core';
import { createTestDatabase, mariadbReachable, type TestDatabase } from '@upsync/sync-core/testing';
import mysql from 'mysql2/promise';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/router.js';
import { example } from './helpers/examples.js';
import { bearer, startTestServer, type TestServer } from './helpers/server.js';
import { cuttableProxy } from './helpers/tcp-proxy.js';

const SYNC = '/ispyb/api/v1/webservices/userportalsync/sync_proposal';
const TABLES = {
  Laboratory: 'laboratoryId',
  Person: 'personId',
  Proposal: 'proposalId',
  ProposalHasPerson: 'proposalHasPersonId',
  LabContact: 'labContactId',
  Protein: 'proteinId',
  BLSession: 'sessionId',
  Session_has_Person: 'sessionId, personId',
} as const;
/** Columns the database (or the sync, for `lastUpdate`) fills with "now". */
const CLOCK_COLUMNS = new Set(['recordTimeStamp', 'bltimeStamp', 'lastUpdate']);

const reachable = await mariadbReachable();
const LEAKS = /select|insert|knex|pool|ER_[A-Z]|ECONN|sqlState|\n\s+at /i;

async function dump(url: string) {
  const conn = await mysql.createConnection(url);
  try {
    const out: Record<string, unknown[]> = {};
    for (const [table, order] of Object.entries(TABLES)) {
      const [rows] = await conn.query(`SELECT * FROM \`${table}\` ORDER BY ${order}`);
      out[table] = (rows as Record<string, unknown>[]).map((row) =>
        Object.fromEntries(Object.entries(row).filter(([column]) => !CLOCK_COLUMNS.has(column))),
      );
    }
    return out;
  } finally {
    await conn.end();
  }
}

describe.skipIf(!reachable)('REST and tRPC write identical rows (MariaDB)', () => {
  let restDb: TestDatabase;
  let trpcDb: TestDatabase;
  let rest: TestServer;
  let trpc: TestServer;

  beforeAll(async () => {
    restDb = await createTestDatabase('server_rest');
    trpcDb = await createTestDatabase('server_trpc');
    rest = await startTestServer(restDb.url);
    trpc = await startTestServer(trpcDb.url);
  });
  afterAll(async () => {
    await rest?.close();
    await trpc?.close();
    await restDb?.drop();
    await trpcDb?.drop();
  });

  it('syncs the create then update examples through both transports', async () => {
    const client = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${trpc.url}/trpc`, headers: bearer() })],
    });
    for (const name of ['pyispyb-create', 'pyispyb-update'] as const) {
      const viaRest = await request(rest.url).post(SYNC).set(bearer()).send(example(name));
      expect(viaRest.status, JSON.stringify(viaRest.body)).toBe(200);
      const viaTrpc = await client.syncProposal.mutate({ payload: example(name) });
      const { message: _a, elapsedMs: _b, ...restResult } = viaRest.body;
      const { message: _c, elapsedMs: _d, ...trpcResult } = viaTrpc;
      expect(trpcResult).toEqual(restResult);
    }
    const [a, b] = await Promise.all([dump(restDb.url), dump(trpcDb.url)]);
    expect(a.Proposal).toHaveLength(1);
    expect(a.Person!.length).toBeGreaterThan(1);
    expect(b).toEqual(a);
  });

  it('GET schema applies the live column limits', async () => {
    const conn = await mysql.createConnection(restDb.url);
    let narrowed: TestServer | undefined;
    try {
      await conn.query('ALTER TABLE Person MODIFY familyName varchar(12)');
      narrowed = await startTestServer(restDb.url);
      const res = await request(narrowed.url).get(`${SYNC}/schema`).set(bearer());
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toContain('"maxLength":12');
      const tooLong = example('pyispyb-create');
      tooLong.proposal.persons[0].familyName = 'Weaver-Something-Long';
      const refused = await request(narrowed.url).post(`${SYNC}?dryRun=true`).set(bearer()).send(tooLong);
      expect(refused.status).toBe(422);
      expect(refused.body.errors).toContainEqual(
        expect.objectContaining({ path: 'proposal.persons[0].familyName' }),
      );
    } finally {
      await narrowed?.close();
      await conn.query('ALTER TABLE Person MODIFY familyName varchar(100)');
      await conn.end();
    }
  });

  it('/ready is 503 while upsync_lock is missing, and a sync then answers 500 naming the fix', async () => {
    const bare = await createTestDatabase('server_bare', { serviceTables: false });
    let srv: TestServer | undefined;
    try {
      srv = await startTestServer(bare.url);
      const ready = await request(srv.url).get('/ready').set(bearer());
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'not_ready',
        detail: expect.stringContaining('upsync_lock'),
      });
      const res = await request(srv.url).post(SYNC).set(bearer()).send(example('pyispyb-create'));
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({
        code: 'SCHEMA_MISMATCH',
        detail: expect.stringContaining('upsync_lock'),
      });
    } finally {
      await srv?.close();
      await bare.drop();
    }
  });
});

describe.skipIf(!reachable)('database failures never leak (MariaDB)', () => {
  it('the database going away answers 503 DATABASE_UNAVAILABLE with Retry-After, no driver text', async () => {
    const db = await createTestDatabase('server_down');
    let srv: TestServer | undefined;
    try {
      const url = new URL(db.url);
      const proxy = await cuttableProxy(url.hostname, Number(url.port || 3306));
      url.host = `127.0.0.1:${proxy.port}`;
      srv = await startTestServer(url.toString());
      // /ready is cached for a second: the repaired database shows within it
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await request(srv.url).get('/ready').set(bearer())).status).toBe(200);
      await proxy.cut();
      const res = await request(srv.url).post(SYNC).set(bearer()).send(example('pyispyb-create'));
      expect(res.status, res.text).toBe(503);
      expect(res.headers['retry-after']).toBe('10');
      expect(res.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retryable: true });
      expect(res.text).not.toMatch(LEAKS);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // past the cached /ready
      const ready = await request(srv.url).get('/ready').set(bearer());
      expect(ready.status).toBe(503);
      expect(ready.text).not.toMatch(LEAKS);
    } finally {
      await srv?.close().catch(() => undefined);
      await db.drop();
    }
  }, 60_000);

  it('an unexpected failure (a closed pool) answers 500 with a generic message and a request id', async () => {
    const db = await createTestDatabase('server_closed');
    let srv: TestServer | undefined;
    try {
      srv = await startTestServer(db.url);
      await closeOrm(srv.orm);
      const res = await request(srv.url).post(SYNC).set(bearer()).send(example('pyispyb-create'));
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ code: 'INTERNAL', requestId: res.headers['x-request-id'] });
      expect(res.text).not.toMatch(LEAKS);
      expect(srv.logs.some((line) => line.level === 50 && line.reqId === res.headers['x-request-id'])).toBe(
        true,
      );
    } finally {
      await srv?.close().catch(() => undefined);
      await db.drop();
    }
  });
});
