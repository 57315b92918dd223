import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { ZFieldChange, ZSyncRun, ZSyncStats } from '@upsync/schema';
import { recordSyncRun } from '@upsync/sync-core';
import { createTestDatabase, mariadbReachable, type TestDatabase } from '@upsync/sync-core/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/router.js';
import { example } from './helpers/examples.js';
import {
  BASE,
  bearer,
  PORTAL_SECRET,
  SYNCER_SECRET,
  sqliteUrl,
  startTestServer,
  type TestServer,
} from './helpers/server.js';

const reachable = await mariadbReachable();
const READER_SECRET = 'reader-secret-0123456789abcdef';
const TOKENS = `portal:${PORTAL_SECRET}:sync+read+reconcile,syncer:${SYNCER_SECRET},reader:${READER_SECRET}:read`;

/** A built console as apps/console's build leaves it: index.html and hashed assets. */
async function fixtureConsole(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'upsync-console-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(
    path.join(dir, 'index.html'),
    '<!doctype html><title>upsync console</title><script type="module" src="./assets/app-3f2a1b.js"></script>',
  );
  await writeFile(path.join(dir, 'assets', 'app-3f2a1b.js'), 'console.log("console")');
  await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

const targets = [
  { name: 'SQLite', skip: false, database: async () => ({ url: await sqliteUrl(), drop: async () => {} }) },
  {
    name: 'MariaDB',
    skip: !reachable,
    database: (): Promise<TestDatabase> => createTestDatabase('console_api'),
  },
];

describe.each(targets)('the console’s API on $name', (target) => {
  let srv: TestServer;
  let drop: () => Promise<void>;
  const get = (url: string, secret = PORTAL_SECRET) =>
    request(srv.url).get(`${BASE}${url}`).set(bearer(secret));
  const sync = (payload: unknown, query = '', secret = PORTAL_SECRET) =>
    request(srv.url)
      .post(`${BASE}/sync_proposal${query}`)
      .set(bearer(secret))
      .send(payload as object);
  const trpc = () =>
    createTRPCClient<AppRouter>({ links: [httpLink({ url: `${srv.url}/trpc`, headers: bearer() })] });
  /** Ids of the runs recorded by the requests below, and the request ids the server answered with. */
  const ids: Record<string, number> = {};
  const requestIds: Record<string, string> = {};

  beforeAll(async () => {
    if (target.skip) return;
    const db = await target.database();
    drop = db.drop;
    srv = await startTestServer(db.url, {
      UPSYNC_API_TOKENS: TOKENS,
      UPSYNC_HISTORY_PAYLOADS: 'true',
      UPSYNC_CONSOLE_DIR: await fixtureConsole(),
    });
    for (const [name, payload, query] of [
      ['create', example('pyispyb-create'), ''],
      ['update', example('pyispyb-update'), ''],
      ['again', example('pyispyb-update'), ''],
      ['dry', example('pyispyb-create'), '?dryRun=true'],
    ] as const) {
      const res = await sync(payload, query);
      expect(res.status).toBe(200);
      requestIds[name] = res.headers['x-request-id'] as string;
      ids[name] = (await get('/sync_runs?limit=1')).body.runs[0].id;
    }
    const invalid = example('pyispyb-create');
    invalid.proposal.persons[0].login = 'x'.repeat(46);
    expect((await sync(invalid)).status).toBe(422);
    ids.failed = (await get('/sync_runs?limit=1')).body.runs[0].id;
  }, 60_000);
  afterAll(async () => {
    await srv?.close();
    await drop?.();
  });

  it.skipIf(target.skip)(
    'syncRuns filters by outcome class, principal and time; syncRun returns one run with its payload',
    async () => {
      const changed = await get('/sync_runs?outcome=changed&principal=portal');
      expect(changed.status).toBe(200);
      expect(changed.body.runs.map((r: { id: number }) => r.id)).toEqual([ids.update, ids.create]);
      expect((await get('/sync_runs?outcome=unchanged')).body.runs.map((r: { id: number }) => r.id)).toEqual([
        ids.again,
      ]);
      expect((await get('/sync_runs?outcome=dryRun')).body.runs.map((r: { id: number }) => r.id)).toEqual([
        ids.dry,
      ]);
      expect((await get('/sync_runs?principal=nobody')).body.runs).toEqual([]);
      const future = new Date(Date.now() + 60_000).toISOString();
      expect((await get(`/sync_runs?from=${future}`)).body.runs).toEqual([]);
      expect((await get(`/sync_runs?to=${future}`)).body.runs).toHaveLength(5);

      const one = await get(`/sync_runs/${ids.create}`);
      expect(one.status).toBe(200);
      const run = ZSyncRun.parse(one.body);
      expect(run).toMatchObject({
        id: ids.create,
        outcomeClass: 'changed',
        replayOf: null,
        principal: 'portal',
        // the run names the request that made it, as its log lines (reqId) and X-Request-Id do
        requestId: requestIds.create,
      });
      expect(requestIds.create).toMatch(/\S/);
      expect(run.payload).toEqual(example('pyispyb-create'));
      expect(await trpc().syncRun.query({ id: ids.create! })).toEqual(one.body);
      const failed = await get(`/sync_runs/${ids.failed}`);
      expect(failed.body).toMatchObject({
        outcomeClass: 'failed',
        errorCode: 'VALIDATION_FAILED',
        errorPath: 'proposal.persons[0].login',
      });

      expect((await get('/sync_runs/999999')).status).toBe(404);
      const bad = await get('/sync_runs?from=yesterday&outcome=exploded');
      expect(bad.status).toBe(422);
      expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['from', 'outcome']);
    },
  );

  it.skipIf(target.skip)(
    'syncStats counts the runs by class with failure codes and a time series',
    async () => {
      const res = await get('/sync_stats?range=1h');
      expect(res.status).toBe(200);
      const stats = ZSyncStats.parse(res.body);
      expect(stats.totals).toMatchObject({ changed: 2, unchanged: 1, dryRun: 1, failed: 1, total: 5 });
      expect(stats.failureCodes).toEqual([{ code: 'VALIDATION_FAILED', count: 1 }]);
      expect(stats.bucketMs).toBe(60_000);
      expect(stats.buckets.length).toBeGreaterThanOrEqual(60);
      expect(stats.buckets.reduce((n, b) => n + b.total, 0)).toBe(5);
      expect(stats.totals.p95Ms).toBeGreaterThan(0);
      expect((await trpc().syncStats.query({ range: '7d' })).bucketMs).toBe(3_600_000);
      const bad = await get('/sync_stats?range=1y');
      expect(bad.status).toBe(422);
      expect(bad.body.errors[0].path).toBe('range');
      expect((await get('/sync_stats?range=1h&extra=1')).status).toBe(422);
    },
  );

  it.skipIf(target.skip)(
    'syncRunDiff: the field changes between two stored payloads, with clear errors',
    async () => {
      const res = await get(`/sync_runs/${ids.create}/diff/${ids.update}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        proposalCode: 'I',
        proposalNumber: '20140076',
        from: { id: ids.create },
        to: { id: ids.update },
      });
      for (const change of res.body.changes) ZFieldChange.parse(change);
      expect(res.body.changes).toContainEqual({
        kind: 'proposal',
        path: 'proposal',
        id: null,
        outcome: 'updated',
        field: 'title',
        current: 'Proposal title',
        wanted: 'Proposal title updated',
      });
      expect((await get(`/sync_runs/${ids.update}/diff/${ids.again}`)).body.changes).toEqual([]);
      expect(await trpc().syncRunDiff.query({ from: ids.create!, to: ids.update! })).toEqual(res.body);

      expect((await get(`/sync_runs/${ids.create}/diff/999999`)).status).toBe(404);
      const invalid = await get(`/sync_runs/${ids.create}/diff/${ids.failed}`);
      expect(invalid.status).toBe(412);
      expect(invalid.body.detail).toMatch(new RegExp(`^run ${ids.failed}'s payload is not a valid payload`));
      // a run recorded while payloads were not stored, and a run of another proposal
      const other = example('pyispyb-create');
      other.proposal.proposalNumber = '999';
      await recordSyncRun(srv.orm, {
        principal: 'portal',
        dryRun: false,
        reconcile: false,
        outcome: 'succeeded',
        durationMs: 1,
        payload: example('pyispyb-create'),
      });
      const unstored = (await get('/sync_runs?limit=1')).body.runs[0].id;
      const notStored = await get(`/sync_runs/${ids.create}/diff/${unstored}`);
      expect(notStored.status).toBe(412);
      expect(notStored.body).toMatchObject({
        code: 'PRECONDITION_FAILED',
        detail: `run ${unstored} has no stored payload: the server keeps payloads only with UPSYNC_HISTORY_PAYLOADS=true`,
      });
      expect((await sync(other)).status).toBe(200);
      const elsewhere = (await get('/sync_runs?limit=1')).body.runs[0].id;
      const mixed = await get(`/sync_runs/${ids.create}/diff/${elsewhere}`);
      expect(mixed.status).toBe(400);
      expect(mixed.body.detail).toMatch(/not runs of one proposal/);
    },
  );

  it.skipIf(target.skip)(
    'a replay is recorded with the run it replays and who sent it; a read-only token may not',
    async () => {
      const original = (await get(`/sync_runs/${ids.update}`)).body;
      const dry = await sync(original.payload, `?dryRun=true&replayOf=${ids.update}`, SYNCER_SECRET);
      expect(dry.status).toBe(200);
      expect(dry.body.dryRun).toBe(true);
      const again = await trpc().syncProposal.mutate({ payload: original.payload, replayOf: ids.update });
      expect(again.proposal.proposalNumber).toBe('20140076');
      const [last, before] = (await get('/sync_runs?proposal=I-20140076&limit=2')).body.runs;
      expect(last).toMatchObject({
        principal: 'portal',
        replayOf: ids.update,

        dryRun: false,
      });
      expect(before).toMatchObject({ principal: 'syncer', replayOf: ids.update, outcomeClass: 'dryRun' });
      expect(last.payloadSha256).toBe(original.payloadSha256);

      const unknown = await sync(original.payload, '?replayOf=999999');
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors).toEqual([
        { path: 'replayOf', message: 'no recorded sync run 999999', code: 'invalid_replay' },
      ]);
      expect((await sync(original.payload, '?replayOf=abc')).status).toBe(422);
      const readOnly = await sync(original.payload, `?replayOf=${ids.update}`, READER_SECRET);
      expect(readOnly.status).toBe(403);
      expect(readOnly.body.detail).toMatch(/sync scope/);
      // read procedures need the read scope
      const syncer = await get('/sync_stats', SYNCER_SECRET);
      expect(syncer.status).toBe(403);
      expect(syncer.body.detail).toMatch(/read scope/);
      expect((await get(`/sync_runs/${ids.update}`, READER_SECRET)).status).toBe(200);
    },
  );

  it.skipIf(target.skip)(
    'serves the built console under /console/ with the CSP, SPA fallback and cache headers',
    async () => {
      const bare = await request(srv.url).get('/console');
      expect(bare.status).toBe(301);
      expect(bare.headers.location).toBe('console/');
      const page = await request(srv.url).get('/console/');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.text).toContain('assets/app-3f2a1b.js');
      const route = await request(srv.url).get('/console/runs/42?outcome=failed');
      expect(route.status).toBe(200);
      expect(route.text).toBe(page.text);
      const asset = await request(srv.url).get('/console/assets/app-3f2a1b.js');
      expect(asset.status).toBe(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect((await request(srv.url).get('/console/favicon.svg')).headers['cache-control']).toBe('no-cache');
      expect((await request(srv.url).get('/console/assets/gone-123.js')).status).toBe(404);
    },
  );
});

describe('the console not built', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer(await sqliteUrl(), {
      UPSYNC_CONSOLE_DIR: await mkdtemp(path.join(tmpdir(), 'upsync-no-console-')),
    });
  });
  afterAll(async () => srv?.close());

  it('answers 503 with a page that says how to build it; the API is unaffected', async () => {
    const res = await request(srv.url).get('/console/');
    expect(res.status).toBe(503);
    expect(res.text).toContain('npm run build');
    expect((await request(srv.url).get('/console/runs')).status).toBe(503);
    expect((await request(srv.url).get(`${BASE}/sync_stats`).set(bearer())).status).toBe(200);
  });
});
