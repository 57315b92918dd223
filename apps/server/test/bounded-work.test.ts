import { listSyncRuns } from '@upsync/sync-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { MAX_JSON_DEPTH } from '../src/http/json-depth.js';
import { example } from './helpers/examples.js';
import { BASE, bearer, sqliteUrl, startTestServer, type TestServer } from './helpers/server.js';

describe('payload limit settings', () => {
  it('defaults, and invalid values name the variable', () => {
    expect(loadConfig({}, '/srv').payloadLimits).toEqual({
      maxItems: 2000,
      maxIssues: 100,
      maxBatchItems: 100,
      maxTrpcBatch: 10,
    });
    expect(
      loadConfig({ UPSYNC_MAX_LIST_ITEMS: '50', UPSYNC_MAX_TRPC_BATCH: '1' }, '/srv').payloadLimits,
    ).toMatchObject({ maxItems: 50, maxTrpcBatch: 1 });
    for (const name of [
      'UPSYNC_MAX_LIST_ITEMS',
      'UPSYNC_MAX_VALIDATION_ISSUES',
      'UPSYNC_MAX_BATCH_ITEMS',
      'UPSYNC_MAX_TRPC_BATCH',
    ]) {
      expect(() => loadConfig({ [name]: '0' }, '/srv')).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: 'many' }, '/srv')).toThrow(new RegExp(name));
    }
  });
});

describe('the list and issue limits are settings', () => {
  it('UPSYNC_MAX_LIST_ITEMS and UPSYNC_MAX_VALIDATION_ISSUES reach validation and the served schema', async () => {
    const srv = await startTestServer(await sqliteUrl(), {
      UPSYNC_MAX_LIST_ITEMS: '2',
      UPSYNC_MAX_VALIDATION_ISSUES: '1',
    });
    try {
      const payload = example('pyispyb-create');
      expect(payload.proposal.persons.length).toBeGreaterThan(2);
      const res = await request(srv.url).post(`${BASE}/sync_proposal`).set(bearer()).send(payload);
      expect(res.status).toBe(422);
      expect(res.body.errors[0]).toMatchObject({ path: 'proposal.persons', code: 'too_many_items' });
      expect(res.body.errors[0].message).toMatch(/at most 2 \(limit maxItems\)/);
      const broken = example('pyispyb-create');
      broken.proposal.title = [1];
      broken.proposal.state = 'Bogus';
      const capped = await request(srv.url)
        .post(`${BASE}/sync_proposal`)
        .set(bearer())
        .send({ ...broken, proposal: { ...broken.proposal, persons: broken.proposal.persons.slice(0, 2) } });
      expect(capped.body.errors.map((e: { code: string }) => e.code)).toEqual([
        expect.any(String),
        'too_many_issues',
      ]);
      const schema = await request(srv.url).get(`${BASE}/sync_proposal/schema`).set(bearer());
      expect(JSON.stringify(schema.body)).toContain('"maxItems":2');
    } finally {
      await srv.close();
    }
  });
});

describe('bounded work per request (SQLite, over HTTP)', () => {
  let srv: TestServer;
  const post = (path: string, body: unknown) =>
    request(srv.url)
      .post(`${BASE}/${path}`)
      .set(bearer())
      .send(body as object);
  const runCount = async () => (await listSyncRuns(srv.orm, { limit: 200 })).runs.length;

  beforeAll(async () => {
    srv = await startTestServer(await sqliteUrl(), {
      UPSYNC_MAX_BATCH_ITEMS: '5',
      UPSYNC_MAX_TRPC_BATCH: '3',
    });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('100,000 persons are refused as too_many_items naming the limit, without validating them', async () => {
    const payload = example('pyispyb-create');
    payload.proposal.persons = Array.from({ length: 100_000 }, (_, i) => ({ login: `p${i}` }));
    const started = performance.now();
    const res = await post('sync_proposal', payload);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        path: 'proposal.persons',
        code: 'too_many_items',
        message: '100000 entries: a list holds at most 2000 (limit maxItems)',
      },
    ]);
  });

  it('a request full of mistakes lists at most 100 issues and counts the rest', async () => {
    const payload = example('pyispyb-create');
    const person = payload.proposal.persons[0];
    payload.proposal.persons = Array.from({ length: 2000 }, () => ({ ...person, familyName: [1] }));
    const res = await post('sync_proposal', payload);
    expect(res.status).toBe(422);
    expect(res.body.errors).toHaveLength(101);
    expect(res.body.errors.at(-1)).toMatchObject({ code: 'too_many_issues', path: '' });
    expect(res.body.errors.at(-1).message).toMatch(/^1900 more issues not listed/);
    expect(JSON.stringify(res.body).length).toBeLessThan(100_000);
  });

  it('U+0000 in a text field is a 422 naming the path (it was a 500 on SQLite)', async () => {
    const payload = example('pyispyb-create');
    payload.proposal.title = 'nul\u0000title';
    const res = await post('sync_proposal', payload);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'proposal.title', code: 'nul_character' }),
    ]);
  });

  it('a body nested deeper than MAX_JSON_DEPTH is a 422 too_deep before it is parsed, on REST and tRPC; nothing runs', async () => {
    // 4.8 MB of brackets (within the 5 MB limit) kept the event loop in JSON.parse for ~1.4 s
    const brackets = `${'['.repeat(2_400_000)}${']'.repeat(2_400_000)}`;
    const deep = `${'{"a":'.repeat(MAX_JSON_DEPTH)}1${'}'.repeat(MAX_JSON_DEPTH)}`;
    const valid = example('pyispyb-create');
    const before = await runCount();
    for (const body of [brackets, `{"proposal":${JSON.stringify(valid.proposal)},"deep":${deep}}`]) {
      const res = await request(srv.url)
        .post(`${BASE}/sync_proposal`)
        .set({ ...bearer(), 'content-type': 'application/json' })
        .send(body);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        { path: '', message: `The body nests deeper than ${MAX_JSON_DEPTH} levels`, code: 'too_deep' },
      ]);
    }
    const trpc = await request(srv.url)
      .post('/trpc/syncProposal')
      .set({ ...bearer(), 'content-type': 'application/json' })
      .send(brackets);
    expect(trpc.status).toBe(422);
    expect(JSON.stringify(trpc.body)).toContain('too_deep');
    expect(await runCount()).toBe(before);
    // one level less is an ordinary payload: validated, refused for its unknown key, recorded
    const shallow = `${'{"a":'.repeat(MAX_JSON_DEPTH - 2)}1${'}'.repeat(MAX_JSON_DEPTH - 2)}`;
    const ok = await request(srv.url)
      .post(`${BASE}/sync_proposal`)
      .set({ ...bearer(), 'content-type': 'application/json' })
      .send(`{"proposal":${JSON.stringify(valid.proposal)},"deep":${shallow}}`);
    expect(ok.status).toBe(422);
    expect(ok.body.errors[0]).toMatchObject({ path: 'deep', code: 'unknown_key' });
    expect(await runCount()).toBe(before + 1);
  });

  it('a batch longer than UPSYNC_MAX_BATCH_ITEMS is a 413 naming the limit, and nothing of it runs', async () => {
    const before = await runCount();
    const res = await post(
      'sync_proposals',
      Array.from({ length: 6 }, () => example('pyispyb-create')),
    );
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(res.body.detail).toBe('6 proposals in one batch: at most 5 (limit UPSYNC_MAX_BATCH_ITEMS)');
    expect(await runCount()).toBe(before);
    const ok = await post(
      'sync_proposals',
      Array.from({ length: 5 }, () => example('pyispyb-create')),
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ succeeded: 5 });
  });

  it('a tRPC batch of more calls than UPSYNC_MAX_TRPC_BATCH is a 413, and none of its calls runs', async () => {
    const before = await runCount();
    const call = (n: number) =>
      fetch(`${srv.url}/trpc/${Array.from({ length: n }, () => 'dryRunProposal').join(',')}?batch=1`, {
        method: 'POST',
        headers: { ...bearer(), 'content-type': 'application/json' },
        body: JSON.stringify(
          Object.fromEntries(
            Array.from({ length: n }, (_, i) => [i, { payload: example('pyispyb-create') }]),
          ),
        ),
      });
    const res = await call(4);
    expect(res.status).toBe(413);
    const text = await res.text();
    expect(text).toContain('UPSYNC_MAX_TRPC_BATCH');
    expect(text).toContain('PAYLOAD_TOO_LARGE');
    expect(await runCount()).toBe(before);
    const ok = await call(3);
    expect(ok.status).toBe(200);
    expect(await runCount()).toBe(before + 3);
  });

  it('read-back keys no proposal can have answer 4xx, not 500 (found by the fuzz run)', async () => {
    const get = (code: string, number: string) =>
      request(srv.url).get(`${BASE}/proposal/${code}/${number}`).set(bearer());
    // invalid UTF-8 in a path segment: Express cannot decode it
    const undecodable = await get('%C0%AF', '1');
    expect(undecodable.status).toBe(400);
    expect(undecodable.body).toEqual({
      detail: 'The URL path is not valid percent-encoded UTF-8',
      code: 'BAD_REQUEST',
      retryable: false,
    });
    // U+0000 (a 500 on SQLite), a character no latin1 key holds (a 500 on MariaDB), too long
    for (const [code, number, path] of [
      ['MX', '%00', 'proposalNumber'],
      ['%F0%9F%98%80', '1', 'proposalCode'],
      ['x'.repeat(46), '1', 'proposalCode'],
    ] as const) {
      const res = await get(code, number);
      expect(res.status, `${code}/${number}`).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    }
    expect((await get('MX', '404404')).status).toBe(404);
  });

  it('the served JSON Schema and the OpenAPI document show the limits', async () => {
    const schema = await request(srv.url).get(`${BASE}/sync_proposal/schema`).set(bearer());
    expect(schema.status).toBe(200);
    expect(JSON.stringify(schema.body)).toContain('"maxItems":2000');
    const openapi = await request(srv.url).get('/openapi.json');
    const batch = openapi.body.paths[`${BASE}/sync_proposals`].post.requestBody.content['application/json'];
    expect(batch.schema.maxItems).toBe(100);
  });
});
