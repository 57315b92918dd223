import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { snapshotToPayload } from '@upsync/schema';
import { recordSyncRun } from '@upsync/sync-core';
import { createTestDatabase, mariadbReachable, type TestDatabase } from '@upsync/sync-core/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import type { AppRouter } from '../src/router.js';
import { example } from './helpers/examples.js';
import { BASE, bearer, startTestServer, type TestServer } from './helpers/server.js';

const reachable = await mariadbReachable();

describe('history configuration', () => {
  it('defaults: payloads not stored, 90 days kept; invalid values name the variable', () => {
    expect(loadConfig({}, '/srv').history).toEqual({ storePayloads: false, retentionDays: 90 });
    expect(
      loadConfig({ UPSYNC_HISTORY_PAYLOADS: 'true', UPSYNC_HISTORY_RETENTION_DAYS: '0' }, '/srv').history,
    ).toEqual({ storePayloads: true, retentionDays: 0 });
    expect(() => loadConfig({ UPSYNC_HISTORY_RETENTION_DAYS: 'soon' }, '/srv')).toThrow(ConfigError);
    expect(() => loadConfig({ UPSYNC_HISTORY_RETENTION_DAYS: '-1' }, '/srv')).toThrow(
      /UPSYNC_HISTORY_RETENTION_DAYS/,
    );
  });
});

describe.skipIf(!reachable)('sync history and read-back over REST and tRPC (MariaDB)', () => {
  let db: TestDatabase;
  let srv: TestServer;
  const client = () =>
    createTRPCClient<AppRouter>({ links: [httpLink({ url: `${srv.url}/trpc`, headers: bearer() })] });
  const runs = (query = '') => request(srv.url).get(`${BASE}/sync_runs${query}`).set(bearer());

  beforeAll(async () => {
    db = await createTestDatabase('hist_server');
    srv = await startTestServer(db.url);
  });
  afterAll(async () => {
    await srv?.close();
    await db?.drop();
  });

  it('records every sync: success, dry run, validation failure, batch items', async () => {
    expect(
      (await request(srv.url).post(`${BASE}/sync_proposal`).set(bearer()).send(example('pyispyb-create')))
        .status,
    ).toBe(200);
    const dry = await request(srv.url)
      .post(`${BASE}/sync_proposal?dryRun=true`)
      .set(bearer())
      .send(example('pyispyb-update'));
    expect(dry.status).toBe(200);
    const invalid = example('pyispyb-create');
    invalid.proposal.state = 'Bogus';
    expect((await request(srv.url).post(`${BASE}/sync_proposal`).set(bearer()).send(invalid)).status).toBe(
      422,
    );
    const batch = await request(srv.url)
      .post(`${BASE}/sync_proposals`)
      .set(bearer())
      .send([example('pyispyb-create'), { nope: 1 }]);
    expect(batch.body).toMatchObject({ succeeded: 1, failed: 1 });

    const res = await runs();
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const got = res.body.runs.map((r: Record<string, unknown>) => [
      r.proposalCode,
      r.outcome,
      r.dryRun,
      r.errorCode ?? null,
    ]);
    expect(got).toEqual([
      [null, 'failed', false, 'VALIDATION_FAILED'],
      ['I', 'succeeded', false, null],
      ['I', 'failed', false, 'VALIDATION_FAILED'],
      ['I', 'succeeded', true, null],
      ['I', 'succeeded', false, null],
    ]);
    const first = res.body.runs[4];
    expect(first).toMatchObject({ principal: 'portal', proposalNumber: '20140076', reconcile: false });
    expect(first.summary.proposal).toEqual({ created: 1, updated: 0, unchanged: 0, deleted: 0 });
    expect(first.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first.payload).toBeUndefined();
    expect(res.body.runs[2]).toMatchObject({ errorPath: 'proposal.state' });
  });

  it('filters and pages over REST and tRPC with the same cursor', async () => {
    const failed = await runs('?proposal=I-20140076&outcome=failed');
    expect(failed.body.runs).toHaveLength(1);
    const page1 = await runs('?proposal=i-20140076&limit=2');
    expect(page1.body.runs).toHaveLength(2);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await client().syncRuns.query({
      proposal: 'I-20140076',
      limit: 2,
      cursor: page1.body.nextCursor,
    });
    expect(page2.runs).toHaveLength(2);
    expect(page2.runs[0]!.id).toBeLessThan(page1.body.runs[1].id);
    expect(page2.nextCursor).toBeNull();
  });

  it('answers 422 naming a bad query parameter, and 401 without a token', async () => {
    const res = await runs('?limit=0');
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('limit');
    expect(res.body.detail[0].loc).toEqual(['query', 'limit']);
    expect((await runs('?cursor=garbage')).status).toBe(422);
    expect((await request(srv.url).get(`${BASE}/sync_runs`)).status).toBe(401);
  });

  it('reads a proposal back over REST and tRPC; re-syncing it changes nothing', async () => {
    const res = await request(srv.url).get(`${BASE}/proposal/I/20140076`).set(bearer());
    expect(res.status).toBe(200);
    expect(res.body.proposal).toMatchObject({
      proposalCode: 'I',
      proposalNumber: '20140076',
      externalId: '20140076',
    });
    expect(res.body.proposal.persons[0]).toMatchObject({ login: 'aewaver', personId: expect.any(Number) });
    const viaTrpc = await client().proposal.query({ proposalCode: 'I', proposalNumber: '20140076' });
    expect(viaTrpc).toEqual(res.body);
    const again = await request(srv.url)
      .post(`${BASE}/sync_proposal`)
      .set(bearer())
      .send(snapshotToPayload(viaTrpc));
    expect(again.status).toBe(200);
    for (const counts of Object.values(again.body.summary) as Record<string, number>[])
      expect(counts).toMatchObject({ created: 0, updated: 0, deleted: 0 });
  });

  it('answers 404 JSON for a proposal ISPyB does not hold (NOT_FOUND over tRPC)', async () => {
    const res = await request(srv.url).get(`${BASE}/proposal/MX/999999`).set(bearer());
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      detail: 'ISPyB holds no proposal MX-999999',
      code: 'NOT_FOUND',
      retryable: false,
    });
    const error = await client()
      .proposal.query({ proposalCode: 'MX', proposalNumber: '999999' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');
    expect((await request(srv.url).get(`${BASE}/proposal/I/20140076`)).status).toBe(401);
  });

  it('a missing history table never fails a sync: logged once, /ready notes it', async () => {
    const mysql = await import('mysql2/promise');
    const conn = await mysql.createConnection(db.url);
    await conn.query('DROP TABLE upsync_sync_run');
    await conn.end();
    for (let i = 0; i < 2; i++) {
      const res = await request(srv.url)
        .post(`${BASE}/sync_proposal`)
        .set(bearer())
        .send(example('pyispyb-update'));
      expect(res.status).toBe(200);
    }
    const warned = srv.logs.filter((l) => l.msg === 'sync history not recorded: run `npm run db:setup`');
    expect(warned).toHaveLength(1);
    const metrics = await request(srv.url).get('/metrics').set(bearer());
    expect(metrics.text).toMatch(/upsync_history_writes_total\{outcome="failed"\} 2/);
    expect(metrics.text).toMatch(/upsync_history_writes_total\{outcome="recorded"\} \d+/);
    const ready = await request(srv.url).get('/ready').set(bearer());
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      notes: expect.stringMatching(/upsync_sync_run is missing/),
    });
    const listing = await runs();
    expect(listing.status).toBe(500);
    expect(listing.body).toMatchObject({
      code: 'SCHEMA_MISMATCH',
      detail: expect.stringMatching(/db:setup/),
    });
  });
});

describe.skipIf(!reachable)('stored payloads (UPSYNC_HISTORY_PAYLOADS=true)', () => {
  let db: TestDatabase;
  let srv: TestServer;
  beforeAll(async () => {
    db = await createTestDatabase('hist_payloads');
    srv = await startTestServer(db.url, { UPSYNC_HISTORY_PAYLOADS: 'true' });
  });
  afterAll(async () => {
    await srv?.close();
    await db?.drop();
  });

  it('prunes runs older than the retention (90 days) on the first sync of the process', async () => {
    const old = {
      principal: 'old',
      proposalCode: 'OLD',
      proposalNumber: '1',
      dryRun: false,
      reconcile: false,
    };
    const startedAt = new Date(Date.now() - 100 * 86_400_000);
    await recordSyncRun(srv.orm, { ...old, startedAt, outcome: 'succeeded', durationMs: 1, payload: {} });
    const list = () => request(srv.url).get(`${BASE}/sync_runs?proposal=OLD-1`).set(bearer());
    expect((await list()).body.runs).toHaveLength(1);
    await request(srv.url)
      .post(`${BASE}/sync_proposal?dryRun=true`)
      .set(bearer())
      .send(example('pyispyb-create'));
    // the prune runs beside the sync (history-recorder.ts), not before its answer: wait for it
    await vi.waitFor(async () => expect((await list()).body.runs).toHaveLength(0), { timeout: 5000 });
  });

  it('keeps the payload with the run', async () => {
    const payload = example('pyispyb-create');
    await request(srv.url).post(`${BASE}/sync_proposal`).set(bearer()).send(payload);
    const res = await request(srv.url).get(`${BASE}/sync_runs?proposal=I-20140076&limit=1`).set(bearer());
    expect(res.body.runs[0]).toMatchObject({ dryRun: false, payload });
  });
});
