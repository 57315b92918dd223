import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapConcurrent } from '../src/http-client.js';
import { makeJwt } from '../src/jwt.js';
import { type JsonObject, PayloadFactory } from '../src/payloads.js';
import { SYNC_PATH } from '../src/upsync.js';
import { type Harness, startHarness } from './harness.js';
import { mariadbReachable, packagesReady } from './support.js';

const reachable = (await mariadbReachable()) && (await packagesReady());
const JWT_SECRET = 'jwt-secret-for-the-security-suite-0123';
const now = () => Math.floor(Date.now() / 1000);
const claims = (over: Record<string, unknown> = {}) => ({
  login: 'mallory',
  permissions: ['uportal_sync'],
  iat: now(),
  exp: now() + 3600,
  ...over,
});

describe.skipIf(!reachable)('security over HTTP', () => {
  let h: Harness;
  const factory = new PayloadFactory({ seed: 11, namespace: 'sec', sharedPersons: 0, sharedLabs: 1 });

  beforeAll(async () => {
    h = await startHarness('security', {
      UPSYNC_JWT_SECRET: JWT_SECRET,
      UPSYNC_JWT_ALGORITHM: 'HS256',
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const proposals = async () =>
    Number((await h.query<{ n: number }>('SELECT COUNT(*) AS n FROM Proposal'))[0]!.n);

  describe('auth bypass attempts are refused and write nothing', () => {
    const token = () => h.server.token;
    const attempts: [string, () => { path?: string; headers: Record<string, string> }][] = [
      ['no Authorization header', () => ({ headers: {} })],
      ['empty Authorization header', () => ({ headers: { authorization: '' } })],
      [
        'Basic scheme with the token',
        () => ({ headers: { authorization: `Basic ${Buffer.from(`bench:${token()}`).toString('base64')}` } }),
      ],
      ['Basic scheme with the raw token', () => ({ headers: { authorization: `Basic ${token()}` } })],
      ['Bearer without a token', () => ({ headers: { authorization: 'Bearer ' } })],
      ['wrong token', () => ({ headers: { authorization: 'Bearer not-the-right-token-0123456789' } })],
      ['token with a suffix', () => ({ headers: { authorization: `Bearer ${token()}x` } })],
      ['token prefix only', () => ({ headers: { authorization: `Bearer ${token().slice(0, -1)}` } })],
      ['two tokens', () => ({ headers: { authorization: `Bearer ${token()} ${token()}` } })],
      ['token in ?token=', () => ({ path: `${SYNC_PATH}?token=${token()}`, headers: {} })],
      ['token in ?access_token=', () => ({ path: `${SYNC_PATH}?access_token=${token()}`, headers: {} })],
      ['token in a cookie', () => ({ headers: { cookie: `token=${token()}; access_token=${token()}` } })],
      ['token in X-Api-Key', () => ({ headers: { 'x-api-key': token() } })],
      ['token name instead of secret', () => ({ headers: { authorization: 'Bearer bench' } })],
      [
        'JWT alg none',
        () => ({ headers: { authorization: `Bearer ${makeJwt(claims(), { alg: 'none' })}` } }),
      ],
      [
        'JWT alg none with a signature',
        () => ({ headers: { authorization: `Bearer ${makeJwt(claims(), { alg: 'none' })}c2ln` } }),
      ],
      [
        'JWT expired',
        () => ({
          headers: {
            authorization: `Bearer ${makeJwt(claims({ exp: now() - 60 }), { secret: JWT_SECRET })}`,
          },
        }),
      ],
      [
        'JWT without exp',
        () => ({
          headers: {
            authorization: `Bearer ${makeJwt({ login: 'x', permissions: ['uportal_sync'] }, { secret: JWT_SECRET })}`,
          },
        }),
      ],
      [
        'JWT wrong secret',
        () => ({
          headers: {
            authorization: `Bearer ${makeJwt(claims(), { secret: 'another-secret-0123456789abcdef' })}`,
          },
        }),
      ],
      [
        'JWT other algorithm (HS512)',
        () => ({
          headers: { authorization: `Bearer ${makeJwt(claims(), { secret: JWT_SECRET, alg: 'HS512' })}` },
        }),
      ],
      [
        'JWT signed with the service token',
        () => ({ headers: { authorization: `Bearer ${makeJwt(claims(), { secret: token() })}` } }),
      ],
    ];

    for (const [name, make] of attempts) {
      it(`${name} → 401`, async () => {
        const { path, headers } = make();
        const res = await h.client.request(path ?? SYNC_PATH, { body: factory.typical(), headers });
        expect(res.status, res.text).toBe(401);
        expect(res.text).not.toContain(h.server.token);
        expect(await proposals()).toBe(0);
      });
    }

    it('every protected route and transport refuses a missing, wrong or expired credential', async () => {
      const expired = makeJwt(claims({ exp: now() - 60 }), { secret: JWT_SECRET });
      const routes: [string, string, unknown][] = [
        ['POST', `${SYNC_PATH}?dryRun=true`, factory.typical()],
        ['POST', `${SYNC_PATH}?reconcile=true`, factory.typical()],
        ['POST', SYNC_PATH.replace(/sync_proposal$/, 'sync_proposals'), [factory.typical()]],
        ['GET', `${SYNC_PATH}/schema`, undefined],
        ['POST', '/trpc/syncProposal', { payload: factory.typical() }],
        ['POST', '/trpc/dryRunProposal', { payload: factory.typical() }],
        ['POST', '/trpc/syncProposals', { payloads: [factory.typical()] }],
        ['GET', '/trpc/schema', undefined],
      ];
      for (const [method, path, body] of routes) {
        for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', `Bearer ${expired}`]) {
          const res = await h.client.request(path, {
            method,
            body,
            headers: authorization ? { authorization } : {},
          });
          expect(
            res.status,
            `${method} ${path} ${authorization ?? '(none)'}: ${res.text.slice(0, 200)}`,
          ).toBe(401);
        }
      }
      expect(await proposals()).toBe(0);
    });

    it('JWT without the uportal_sync permission → 403', async () => {
      const jwt = makeJwt(claims({ permissions: ['own_proposals'] }), { secret: JWT_SECRET });
      const res = await h.sync(factory.typical(), { authorization: `Bearer ${jwt}` });
      expect(res.status, res.text).toBe(403);
      expect(await proposals()).toBe(0);
    });

    it('the tRPC transport refuses the same attempts', async () => {
      const body = { payload: factory.typical() };
      for (const authorization of [
        undefined,
        `Basic ${h.server.token}`,
        'Bearer wrong-token-0123456789abcdef',
      ]) {
        const res = await h.client.request('/trpc/syncProposal', {
          body,
          headers: authorization ? { authorization } : {},
        });
        expect(res.status, res.text).toBe(401);
      }
      expect(await proposals()).toBe(0);
    });

    it('a valid JWT with the permission and the service token both succeed (positive controls)', async () => {
      const jwt = makeJwt(claims(), { secret: JWT_SECRET });
      expect((await h.sync(factory.typical(), { authorization: `Bearer ${jwt}` })).status).toBe(200);
      expect((await h.sync(factory.typical())).status).toBe(200);
    });
  });

  it('SQL-looking strings are stored verbatim', async () => {
    const p = factory.typical();
    const proposal = p.proposal as JsonObject;
    const person = (proposal.persons as JsonObject[])[2]!;
    const evil = {
      familyName: "Robert'); DROP TABLE Person;--",
      givenName: "' OR '1'='1",
      title: '\\\\"; --',
      emailAddress: 'a@b.c%_\\0',
    };
    Object.assign(person, evil);
    proposal.title = "x' UNION SELECT passwd FROM Person -- ; DELETE FROM Proposal; /*";
    const res = await h.sync(p);
    expect(res.status, res.text).toBe(200);
    const rows = await h.query<Record<string, string>>(
      'SELECT familyName, givenName, title, emailAddress FROM Person WHERE login = ?',
      [person.login],
    );
    expect(rows).toEqual([evil]);
    const [q] = await h.query<{ title: string }>('SELECT title FROM Proposal WHERE proposalNumber = ?', [
      proposal.proposalNumber,
    ]);
    expect(q?.title).toBe(proposal.title);
    expect((await h.query('SHOW TABLES LIKE ?', ['Person'])).length).toBe(1);
  });

  it('a body over the limit is refused with 413, on both transports', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 1024, 'a');
    const body = Buffer.concat([Buffer.from('{"proposal":{"title":"'), big, Buffer.from('"}}')]);
    const res = await h.client.request(SYNC_PATH, {
      body,
      raw: true,
      headers: { authorization: `Bearer ${h.server.token}`, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    const trpc = await h.client.request('/trpc/syncProposal', {
      body: Buffer.concat([Buffer.from('{"payload":{"proposal":{"title":"'), big, Buffer.from('"}}}')]),
      raw: true,
      headers: { authorization: `Bearer ${h.server.token}`, 'content-type': 'application/json' },
    });
    expect(trpc.status).toBe(413);
  });

  it('a flood from one client (2,000 requests, 64 at once, loopback) leaves the service responsive', async () => {
    const before = await proposals();
    const statuses = new Map<number, number>();
    const deadline = Date.now() + 20_000;
    const requests = Array.from({ length: 2_000 }, (_, i) => i);
    const started = Date.now();
    await mapConcurrent(requests, 64, async (i) => {
      if (Date.now() > deadline) return;
      // a mix of unauthenticated pushes, invalid payloads and cheap reads
      const res =
        i % 3 === 0
          ? await h.client.request(SYNC_PATH, { body: { proposal: {} }, headers: {} })
          : i % 3 === 1
            ? await h.sync({ proposal: { proposalCode: 'MX', proposalNumber: i, persons: [] } })
            : await h.client.request('/health');
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    });
    const seconds = (Date.now() - started) / 1000;
    console.info(`flood: ${JSON.stringify(Object.fromEntries(statuses))} in ${seconds.toFixed(1)} s`);
    expect([...statuses.keys()].every((s) => s < 500 || s === 503)).toBe(true);
    const t = Date.now();
    const health = await h.client.request('/health', { timeoutMs: 2_000 });
    expect(health.status).toBe(200);
    expect(Date.now() - t).toBeLessThan(500);
    expect((await h.sync(factory.typical())).status).toBe(200);
    expect(await proposals()).toBe(before + 1);
  });
});
