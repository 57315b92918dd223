import http from 'node:http';
import net from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { proposalNumbered, READ_BACK } from './helpers/payloads.js';
import {
  BASE,
  bearer,
  PORTAL_SECRET,
  SYNCER_SECRET,
  sqliteUrl,
  startTestServer,
  type TestServer,
} from './helpers/server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.close();
});
async function start(env: Record<string, string> = {}) {
  const srv = await startTestServer(await sqliteUrl(), env);
  servers.push(srv);
  return srv;
}

/** How many syncs the history holds. */
async function runCount(srv: TestServer): Promise<number> {
  const res = await request(srv.url).get(`${BASE}/sync_runs?limit=200`).set(bearer());
  return (res.body.runs as unknown[]).length;
}

describe('per-principal rate limits', () => {
  it('429 with Retry-After once a principal exceeds UPSYNC_RATE_LIMIT; other principals go on', async () => {
    const srv = await start({ UPSYNC_RATE_LIMIT: '3', UPSYNC_RATE_LIMIT_WINDOW_MS: '5000' });
    for (let i = 0; i < 3; i++) {
      expect(
        (await request(srv.url).get(`${BASE}/sync_proposal/schema`).set(bearer(SYNCER_SECRET))).status,
      ).toBe(200);
    }
    const limited = await request(srv.url)
      .post(`${BASE}/sync_proposal`)
      .set(bearer(SYNCER_SECRET))
      .send(proposalNumbered(801));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(5);
    expect(limited.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryable: true });
    expect((await request(srv.url).get(READ_BACK(801)).set(bearer())).status).toBe(404);
    // tRPC answers in its own envelope
    const trpc = await request(srv.url).get('/trpc/schema').set(bearer(SYNCER_SECRET));
    expect(trpc.status).toBe(429);
    expect(trpc.body.error.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429 });
    // another principal has its own budget
    expect(
      (await request(srv.url).get(`${BASE}/sync_proposal/schema`).set(bearer(PORTAL_SECRET))).status,
    ).toBe(200);
  });

  it('limits unauthenticated attempts per client address (token guessing)', async () => {
    const srv = await start({ UPSYNC_RATE_LIMIT_ANONYMOUS: '2', UPSYNC_RATE_LIMIT_WINDOW_MS: '5000' });
    const guess = () =>
      request(srv.url).get(`${BASE}/sync_proposal/schema`).set(bearer('guess-0123456789abcdef'));
    expect((await guess()).status).toBe(401);
    expect((await guess()).status).toBe(401);
    const limited = await guess();
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect((await request(srv.url).get(`${BASE}/sync_proposal/schema`).set(bearer())).status).toBe(200);
  });
});

describe('per-request deadline', () => {
  it('a batch past UPSYNC_REQUEST_DEADLINE_MS starts no further item: the rest are DEADLINE_EXCEEDED, nothing of them written', async () => {
    const srv = await start({ UPSYNC_REQUEST_DEADLINE_MS: '300', UPSYNC_MAX_BATCH_ITEMS: '200' });
    const payloads = Array.from({ length: 150 }, (_, i) => proposalNumbered(10_000 + i));
    const res = await request(srv.url).post(`${BASE}/sync_proposals`).set(bearer()).send(payloads);
    expect(res.status).toBe(200);
    const results = res.body.results as {
      index: number;
      ok: boolean;
      error?: { code: string; retryable: boolean };
    }[];
    const done = results.filter((r) => r.ok).length;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(150);
    // every item after the first not attempted is not attempted either
    const firstSkipped = results.findIndex((r) => !r.ok);
    expect(
      results.slice(firstSkipped).every((r) => r.error?.code === 'DEADLINE_EXCEEDED' && r.error.retryable),
    ).toBe(true);
    expect(
      (
        await request(srv.url)
          .get(READ_BACK(10_000 + firstSkipped - 1))
          .set(bearer())
      ).status,
    ).toBe(200);
    expect(
      (
        await request(srv.url)
          .get(READ_BACK(10_000 + firstSkipped))
          .set(bearer())
      ).status,
    ).toBe(404);
    expect(await runCount(srv)).toBe(done);
  });
});

describe('a client that disconnects', () => {
  it('stops its batch between items; the proposals synced are whole', async () => {
    const srv = await start({ UPSYNC_MAX_BATCH_ITEMS: '200' });
    const payloads = Array.from({ length: 150 }, (_, i) => proposalNumbered(20_000 + i));
    const body = Buffer.from(JSON.stringify(payloads));
    const { port } = new URL(srv.url);
    const req = http.request({
      port: Number(port),
      host: '127.0.0.1',
      method: 'POST',
      path: `${BASE}/sync_proposals`,
      headers: { ...bearer(), 'Content-Type': 'application/json', 'Content-Length': body.length },
    });
    req.on('error', () => undefined);
    req.end(body);
    // wait until the batch is under way, then hang up
    const deadline = Date.now() + 20_000;
    while ((await request(srv.url).get(READ_BACK(20_002)).set(bearer())).status !== 200) {
      if (Date.now() > deadline) throw new Error('the batch never started');
      await sleep(20);
    }
    req.destroy();
    await sleep(500);
    const afterHangUp = await runCount(srv);
    await sleep(700);
    expect(await runCount(srv)).toBe(afterHangUp);
    expect(afterHangUp).toBeLessThan(150);
    expect((await request(srv.url).get(READ_BACK(20_149)).set(bearer())).status).toBe(404);
    // the last synced proposal is whole: read back with all its persons
    const last = await request(srv.url)
      .get(READ_BACK(20_000 + afterHangUp - 1))
      .set(bearer());
    expect(last.status).toBe(200);
    expect(last.body.proposal.persons).toHaveLength(payloads[0].proposal.persons.length);
    expect(srv.logs.some((l) => l.msg === 'client closed the connection: no further sync starts')).toBe(true);
  });
});

describe('server timeouts from the configuration', () => {
  it('a client that never finishes its headers is cut after UPSYNC_HEADERS_TIMEOUT_MS (408)', async () => {
    const srv = await start({ UPSYNC_HEADERS_TIMEOUT_MS: '500', UPSYNC_REQUEST_TIMEOUT_MS: '1000' });
    const socket = net.connect(Number(new URL(srv.url).port), '127.0.0.1');
    const started = Date.now();
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.write(`GET /health HTTP/1.1\r\nHost: x\r\n`);
    await new Promise((resolve) => socket.on('close', resolve));
    const ms = Date.now() - started;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeGreaterThanOrEqual(400);
    expect(ms).toBeLessThan(2500);
  });

  it('keeps idle keep-alive connections for UPSYNC_KEEP_ALIVE_TIMEOUT_MS, then closes them', async () => {
    const srv = await start({ UPSYNC_KEEP_ALIVE_TIMEOUT_MS: '1500' });
    const socket = net.connect(Number(new URL(srv.url).port), '127.0.0.1');
    let closedAt = 0;
    socket.on('close', () => {
      closedAt = Date.now();
    });
    socket.on('data', () => undefined);
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    const sent = Date.now();
    await sleep(1000);
    expect(closedAt).toBe(0);
    await sleep(2500); // Node closes up to a second after the timeout
    expect(closedAt).toBeGreaterThan(0);
    expect(closedAt - sent).toBeGreaterThanOrEqual(1400);
  });

  it('refuses connections beyond UPSYNC_MAX_CONNECTIONS', async () => {
    const srv = await start({ UPSYNC_MAX_CONNECTIONS: '2' });
    const port = Number(new URL(srv.url).port);
    const open = [net.connect(port, '127.0.0.1'), net.connect(port, '127.0.0.1')];
    await Promise.all(open.map((s) => new Promise((resolve) => s.on('connect', resolve))));
    await sleep(100);
    const third = net.connect(port, '127.0.0.1');
    third.on('error', () => undefined);
    third.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    let answered = '';
    third.on('data', (chunk) => {
      answered += chunk;
    });
    await new Promise((resolve) => third.on('close', resolve));
    expect(answered).toBe('');
    for (const s of open) s.destroy();
  });
});
