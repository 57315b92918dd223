import { SignJWT } from 'jose';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { example } from './helpers/examples.js';
import {
  bearer,
  JWT_SECRET,
  PORTAL_SECRET,
  serverForFile,
  sqliteUrl,
  startTestServer,
  VIEWER_SECRET,
} from './helpers/server.js';

const SYNC = '/ispyb/api/v1/webservices/userportalsync/sync_proposal';
const SCHEMA = '/ispyb/api/v1/webservices/userportalsync/sync_proposal/schema';
const BATCH = '/ispyb/api/v1/webservices/userportalsync/sync_proposals';
const now = () => Math.floor(Date.now() / 1000);
const key = new TextEncoder().encode(JWT_SECRET);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A response must never carry SQL, driver text or a stack trace. */
const LEAKS =
  /\b(select|insert into|update `|sqlite|mysql|mariadb|knex|ER_[A-Z_]+|SQLITE_)\b|\n\s+at |node_modules/i;

// The guarantees hold without NODE_ENV=production (stacks are stripped, never hidden by env).
delete process.env.NODE_ENV;

const srv = serverForFile();

describe('operations routes', () => {
  it('/health answers without a token', async () => {
    const res = await request(srv.url).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/.+/);
  });

  it('/ready answers 200 when the database is reachable with its tables', async () => {
    const res = await request(srv.url).get('/ready').set(bearer(VIEWER_SECRET));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it('unknown routes answer 404 JSON', async () => {
    const res = await request(srv.url).get('/nope');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ detail: 'Not Found', code: 'NOT_FOUND', retryable: false });
  });

  it('keeps a sane incoming X-Request-Id and replaces an unsafe one', async () => {
    expect(
      (await request(srv.url).get('/health').set('X-Request-Id', 'abc-123')).headers['x-request-id'],
    ).toBe('abc-123');
    const res = await request(srv.url).get('/health').set('X-Request-Id', '<script>');
    expect(res.headers['x-request-id']).not.toBe('<script>');
  });
});

describe('authentication on the sync routes', () => {
  const sign = (claims: Record<string, unknown>, exp = now() + 600, secret = key) =>
    new SignJWT({ login: 'boaty', personId: 1, permissions: ['uportal_sync'], ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(secret);

  it.each([
    ['no header', {}],
    [
      'the wrong scheme',
      { Authorization: `Basic ${Buffer.from(`portal:${PORTAL_SECRET}`).toString('base64')}` },
    ],
    ['a wrong token', { Authorization: 'Bearer not-a-token-0123456789' }],
  ])('refuses %s with 401', async (_label, headers) => {
    const res = await request(srv.url).post(SYNC).set(headers).send(example('pyispyb-create'));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toMatchObject({
      code: 'UNAUTHORIZED',
      detail: expect.stringContaining('Not authenticated'),
    });
  });

  it('ignores a token in the query string', async () => {
    const res = await request(srv.url)
      .post(
        `${SYNC}?token=${PORTAL_SECRET}&access_token=${PORTAL_SECRET}&Authorization=Bearer%20${PORTAL_SECRET}`,
      )
      .send(example('pyispyb-create'));
    expect(res.status).toBe(401);
  });

  it('refuses a JWT with alg: none', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ login: 'boaty', permissions: ['uportal_sync'], exp: now() + 600 })}.`;
    const res = await request(srv.url).post(SYNC).set(bearer(token)).send(example('pyispyb-create'));
    expect(res.status).toBe(401);
  });

  it('refuses an expired JWT', async () => {
    const res = await request(srv.url)
      .post(SYNC)
      .set(bearer(await sign({}, now() - 60)))
      .send(example('pyispyb-create'));
    expect(res.status).toBe(401);
    expect(res.body.detail).toContain('expired');
  });

  it('refuses a JWT signed with another secret', async () => {
    const token = await sign({}, now() + 600, new TextEncoder().encode('not-the-secret'));
    const res = await request(srv.url).post(SYNC).set(bearer(token)).send(example('pyispyb-create'));
    expect(res.status).toBe(401);
  });

  it('answers 403 to a JWT without uportal_sync and to a token without the permission', async () => {
    const jwt = await request(srv.url)
      .post(SYNC)
      .set(bearer(await sign({ permissions: ['own_sessions'] })))
      .send(example('pyispyb-create'));
    expect(jwt.status).toBe(403);
    expect(jwt.body.code).toBe('FORBIDDEN');
    const viewer = await request(srv.url)
      .post(SYNC)
      .set(bearer(VIEWER_SECRET))
      .send(example('pyispyb-create'));
    expect(viewer.status).toBe(403);
  });

  it('accepts a py-ISPyB JWT with uportal_sync (dry run)', async () => {
    const res = await request(srv.url)
      .post(`${SYNC}?dryRun=true`)
      .set(bearer(await sign({})))
      .send(example('pyispyb-create'));
    expect(res.status).toBe(200);
    expect(res.body.dryRun).toBe(true);
  });

  it('protects the schema route too', async () => {
    expect((await request(srv.url).get(SCHEMA)).status).toBe(401);
    expect((await request(srv.url).get(SCHEMA).set(bearer())).status).toBe(200);
  });

  it('logs the token name, never the secret', () => {
    const all = srv.rawLogs.join('\n');
    expect(all).not.toContain(PORTAL_SECRET);
    expect(all).not.toContain(VIEWER_SECRET);
    expect(srv.logs.some((line) => line.principal === 'jwt:boaty')).toBe(true);
  });
});

describe('POST sync_proposal', () => {
  it('syncs the py-ISPyB example: 200 with py-ISPyB message and the structured result', async () => {
    const res = await request(srv.url).post(SYNC).set(bearer()).send(example('pyispyb-create'));
    expect(res.status).toBe(200);
    expect(res.body.message).toMatch(/^The proposal I-20140076 has been synchronized in /);
    expect(res.body).toMatchObject({
      dryRun: false,
      reconcile: false,
      proposal: { proposalCode: 'I', proposalNumber: '20140076', proposalId: expect.any(Number) },
    });
    expect(res.body.entities.persons.length).toBeGreaterThan(0);
    expect(srv.logs.some((line) => line.msg === 'proposal synchronized' && line.principal === 'portal')).toBe(
      true,
    );
  });

  it('is idempotent: a second sync changes nothing', async () => {
    const res = await request(srv.url).post(SYNC).set(bearer()).send(example('pyispyb-create'));
    expect(res.status).toBe(200);
    for (const counts of Object.values(res.body.summary) as Record<string, number>[]) {
      expect(counts).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    }
  });

  it('dry run reports changes without writing them', async () => {
    const dry = await request(srv.url)
      .post(`${SYNC}?dryRun=true`)
      .set(bearer())
      .send(example('pyispyb-update'));
    expect(dry.status).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    expect(dry.body.summary.proposal.updated).toBe(1);
    const again = await request(srv.url)
      .post(`${SYNC}?dryRun=1`)
      .set(bearer())
      .send(example('pyispyb-update'));
    expect(again.body.summary.proposal.updated).toBe(1);
  });

  it('answers 422 in FastAPI shape (and richer) for an invalid payload', async () => {
    const payload = example('pyispyb-create');
    payload.sessions[1].persons[0].familyName = 'x'.repeat(5000);
    const res = await request(srv.url).post(SYNC).set(bearer()).send(payload);
    expect(res.status).toBe(422);
    expect(res.body.detail).toContainEqual(
      expect.objectContaining({ loc: ['body', 'sessions', 1, 'persons', 0, 'familyName'] }),
    );
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({ path: 'sessions[1].persons[0].familyName', code: expect.any(String) }),
    );
    expect(JSON.stringify(res.body)).not.toContain('x'.repeat(100));
  });

  it('answers 422 naming the query parameter for ?dryRun=perhaps', async () => {
    const res = await request(srv.url)
      .post(`${SYNC}?dryRun=perhaps`)
      .set(bearer())
      .send(example('pyispyb-create'));
    expect(res.status).toBe(422);
    expect(res.body.detail[0].loc).toEqual(['query', 'dryRun']);
  });

  it('answers 422 json_invalid for malformed JSON, without quoting it', async () => {
    const res = await request(srv.url)
      .post(SYNC)
      .set(bearer())
      .set('Content-Type', 'application/json')
      .send('{"proposal": secret-looking-text');
    expect(res.status).toBe(422);
    expect(res.body.detail[0]).toMatchObject({ loc: ['body'], type: 'json_invalid' });
    expect(JSON.stringify(res.body)).not.toContain('secret-looking-text');
  });

  it('answers 415 to a body that is not JSON', async () => {
    const res = await request(srv.url)
      .post(SYNC)
      .set(bearer())
      .set('Content-Type', 'text/plain')
      .send('hello');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 to a 20 MB body', async () => {
    const payload = example('pyispyb-create');
    payload.proposal.title = 'x'.repeat(20 * 1024 * 1024);
    const res = await request(srv.url).post(SYNC).set(bearer()).send(payload);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 401 (not 413) to an anonymous 20 MB body: auth comes before reading it', async () => {
    const res = await request(srv.url)
      .post(SYNC)
      .set('Content-Type', 'application/json')
      .send(`{"t":"${'x'.repeat(20 * 1024 * 1024)}"}`);
    expect(res.status).toBe(401);
  });
});

describe('?reconcile=true', () => {
  it('removes the participants the payload no longer lists, and reports them', async () => {
    const payload = example('pyispyb-create');
    payload.proposal.persons.pop();
    const dry = await request(srv.url).post(`${SYNC}?dryRun=true&reconcile=true`).set(bearer()).send(payload);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, reconcile: true });
    expect(dry.body.summary.proposalParticipants.deleted).toBe(1);
    const kept = await request(srv.url).post(`${SYNC}?dryRun=true`).set(bearer()).send(payload);
    expect(kept.body.summary.proposalParticipants.deleted).toBe(0);
  });
});

describe('GET sync_proposal/schema', () => {
  it('serves the JSON Schema of the payload', async () => {
    const res = await request(srv.url).get(SCHEMA).set(bearer());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'object' });
    expect(JSON.stringify(res.body)).toContain('proposalCode');
  });
});

describe('POST sync_proposals (batch)', () => {
  it('syncs every item in its own transaction; a bad item does not stop the others', async () => {
    const good1 = example('pyispyb-create');
    const bad = example('pyispyb-create');
    bad.proposal.proposalNumber = '777';
    bad.proposal.externalId = 777;
    bad.proposal.state = 'Sleeping';
    const good2 = example('pyispyb-create');
    good2.proposal.proposalNumber = '888';
    good2.proposal.externalId = 888;
    const res = await request(srv.url).post(BATCH).set(bearer()).send([good1, bad, good2]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ succeeded: 2, failed: 1, dryRun: false });
    expect(res.body.message).toBe('2 of 3 proposals synchronized, 1 failed');
    expect(res.body.results.map((r: { index: number; ok: boolean }) => [r.index, r.ok])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
    expect(res.body.results[1].error).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });
    expect(res.body.results[1].error.errors).toContainEqual(
      expect.objectContaining({ path: 'proposal.state' }),
    );
    // The bad item was rolled back, the good ones committed.
    const check = await request(srv.url).post(`${BATCH}?dryRun=true`).set(bearer()).send([good2, bad]);
    expect(check.body.results[0].result.summary.proposal).toMatchObject({ created: 0, unchanged: 1 });
  });

  it('answers 422 when the body is not an array', async () => {
    const res = await request(srv.url).post(BATCH).set(bearer()).send(example('pyispyb-create'));
    expect(res.status).toBe(422);
    expect(res.body.detail[0].loc).toEqual(['body']);
  });
});

describe('/metrics', () => {
  it('counts syncs by outcome, their duration and the rows written by entity kind', async () => {
    const res = await request(srv.url).get('/metrics').set(bearer(VIEWER_SECRET));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/upsync_syncs_total\{outcome="synchronized"\} [1-9]/);
    expect(res.text).toMatch(/upsync_syncs_total\{outcome="validation_failed"\} [1-9]/);
    expect(res.text).toMatch(/upsync_sync_duration_seconds_count\{outcome="synchronized"\} [1-9]/);
    expect(res.text).toMatch(/upsync_rows_written_total\{entity="persons",outcome="created"\} [1-9]/);
  });
});

describe('/metrics and /ready are not public by default', () => {
  it('require a valid token (any scope); /health stays public', async () => {
    const closed = await startTestServer(await sqliteUrl());
    try {
      expect((await request(closed.url).get('/metrics')).status).toBe(401);
      expect((await request(closed.url).get('/ready')).status).toBe(401);
      expect((await request(closed.url).get('/ready').set(bearer(VIEWER_SECRET))).status).toBe(200);
      expect((await request(closed.url).get('/metrics').set(bearer('wrong-token-0123456789'))).status).toBe(
        401,
      );
      expect((await request(closed.url).get('/metrics').set(bearer(VIEWER_SECRET))).status).toBe(200);
      expect((await request(closed.url).get('/health')).status).toBe(200);
    } finally {
      await closed.close();
    }
  });

  it('answer anyone with UPSYNC_METRICS_PUBLIC=true and UPSYNC_READY_PUBLIC=true', async () => {
    const open = await startTestServer(await sqliteUrl(), {
      UPSYNC_METRICS_PUBLIC: 'true',
      UPSYNC_READY_PUBLIC: 'true',
    });
    try {
      expect((await request(open.url).get('/metrics')).status).toBe(200);
      expect((await request(open.url).get('/ready')).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe('no leaks', () => {
  it('no response so far carried SQL, driver messages or stack traces', async () => {
    const bodies = await Promise.all([
      request(srv.url)
        .post(SYNC)
        .set(bearer())
        .send({ proposal: { proposalCode: 1 } }),
      request(srv.url).post(SYNC).set(bearer()).send([]),
      request(srv.url)
        .post(BATCH)
        .set(bearer())
        .send([null, 'x', { sessions: 'no' }]),
    ]);
    for (const res of bodies) {
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toMatch(LEAKS);
    }
  });
});
