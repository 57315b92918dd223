import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db.js';
import { HttpClient, type HttpResult } from '../src/http-client.js';
import { ORPHAN_CHECKS, violations } from '../src/invariants.js';
import { type Json, type JsonObject, PayloadFactory } from '../src/payloads.js';
import { PrivateMariaDb } from '../src/private-mariadb.js';
import { type RunningServer, startServer, Upsync } from '../src/upsync.js';
import { badPayload } from './bad-input-arbitraries.js';
import { type Harness, startHarness } from './harness.js';
import { mariadbReachable, packagesReady } from './support.js';

// Issue 15's fuzz run: generated payloads and query strings over HTTP against a real server, on
// the embedded SQLite database and on MariaDB. Every answer is below 500 and leaks nothing (no
// SQL, stack, driver message); afterwards no proposal is half-written. Counts are per database: the
// defaults make 2 × (1,000 + 600) = 3,200 requests, with bad-input.test.ts's 2,000 generated
// payloads 5,200 per `npm test` (UPSYNC_FUZZ_PAYLOADS / _QUERIES for longer runs).
const PAYLOADS = Number(process.env.UPSYNC_FUZZ_PAYLOADS ?? 1_000);
const QUERIES = Number(process.env.UPSYNC_FUZZ_QUERIES ?? 600);
// a budget, not an expectation (the file takes about a minute of CPU)
const TIMEOUT_MS = 600_000;
const SEED = Number(process.env.UPSYNC_FUZZ_SEED ?? 15_015);
const ready = await packagesReady();
const mariadb = ready && (await mariadbReachable());

const BASE = '/ispyb/api/v1/webservices/userportalsync';

/** SQL, driver and engine words, stack frames, file paths: none may reach a client. */
const LEAK =
  /\b(INSERT INTO|UPDATE `|SELECT .{0,200} FROM|DELETE FROM|ER_[A-Z_]{3,}|SQLITE_[A-Z]+|SqliteError|better-sqlite3|node:sqlite|mysql2|knex|kysely|MikroORM|DriverException)\b|\n\s+at |node_modules|\/src\/|\.ts:\d+/;

interface Target {
  client: HttpClient;
  token: string;
  /** Runs one of ORPHAN_CHECKS' queries; returns its rows' count. */
  orphans(): Promise<Record<string, number>>;
}

function check(res: HttpResult, what: string): void {
  const context = `${what} → ${res.status} ${res.text.slice(0, 600)}`;
  expect(res.status, context).toBeGreaterThanOrEqual(200);
  expect(res.status, context).toBeLessThan(500);
  expect(res.text, context).not.toMatch(LEAK);
  if (res.status === 422 && typeof res.body === 'object' && res.body !== null && 'errors' in res.body) {
    for (const e of (res.body as { errors: { path?: unknown; message?: unknown }[] }).errors) {
      expect(typeof e.path, context).toBe('string');
      expect(typeof e.message, context).toBe('string');
    }
  }
}

// ---- payloads ----------------------------------------------------------------------------------

const HOSTILE_TEXT = [
  "x\\'; CREATE TABLE t (i int); -- ",
  "'); DROP TABLE Proposal; --",
  '\u0000',
  'a\u0000b',
  '\ud800',
  '%00',
  '$' + '{7*7}', // a template placeholder, as text
  '<script>alert(1)</script>',
  '../../etc/passwd',
  `${'1'.repeat(399)}x`,
  `${'9'.repeat(300)}.${'9'.repeat(99)}e`,
  '\u202e\u0301\ufeff',
];

type Hostile =
  | { kind: 'text'; at: number; text: string }
  | { kind: 'longList'; at: number; length: number }
  | { kind: 'deepText'; depth: number; array: boolean };

const hostile: fc.Arbitrary<Hostile> = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), at: fc.nat(), text: fc.constantFrom(...HOSTILE_TEXT) }),
  fc.record({
    kind: fc.constant('longList' as const),
    at: fc.nat(),
    length: fc.integer({ min: 2001, max: 2100 }),
  }),
  fc.record({
    kind: fc.constant('deepText' as const),
    depth: fc.integer({ min: 6_000, max: 12_000 }),
    array: fc.boolean(),
  }),
);

/** The request body as text: JSON.stringify cannot write the deep ones (it recurses). */
function hostileBody(seed: number, h: Hostile): string {
  const factory = new PayloadFactory({
    seed,
    namespace: 'fz',
    keyBase: 2_000_000_000 + seed * 100,
    sharedPersons: 0,
    sharedLabs: 0,
  });
  const payload = factory.typical();
  const strings: [JsonObject, string][] = [];
  const lists: Json[][] = [];
  const walk = (v: Json) => {
    if (Array.isArray(v)) {
      lists.push(v);
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (typeof x === 'string') strings.push([v, k]);
        walk(x);
      }
    }
  };
  walk(payload);
  if (h.kind === 'text') {
    const [obj, key] = strings[h.at % strings.length]!;
    obj[key] = h.text;
    return JSON.stringify(payload);
  }
  if (h.kind === 'longList') {
    const list = lists[h.at % lists.length]!;
    const first = list[0] ?? {};
    while (list.length < h.length) list.push(first);
    return JSON.stringify(payload);
  }
  const deep = h.array
    ? `${'['.repeat(h.depth)}1${']'.repeat(h.depth)}`
    : `${'{"a":'.repeat(h.depth)}1${'}'.repeat(h.depth)}`;
  return JSON.stringify(payload).replace(/}$/, `,"nested":${deep}}`);
}

type Route = 'rest' | 'restDryRun' | 'batch' | 'trpc' | 'trpcDryRun';
const route: fc.Arbitrary<Route> = fc.constantFrom('rest', 'restDryRun', 'batch', 'trpc', 'trpcDryRun');

const payloadCase = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ body: badPayload.map(({ payload }) => JSON.stringify(payload)), route }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      body: fc
        .tuple(fc.integer({ min: 1, max: 1_000_000 }), hostile)
        .map(([seed, h]) => hostileBody(seed, h)),
      route,
    }),
  },
);

function send(t: Target, body: string, r: Route): Promise<HttpResult> {
  const headers = { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' };
  const post = (p: string, b: string) => t.client.request(p, { body: b, raw: true, headers });
  switch (r) {
    case 'rest':
      return post(`${BASE}/sync_proposal`, body);
    case 'restDryRun':
      return post(`${BASE}/sync_proposal?dryRun=true`, body);
    case 'batch':
      return post(`${BASE}/sync_proposals`, `[${body},${body}]`);
    case 'trpc':
      return post('/trpc/syncProposal', `{"payload":${body}}`);
    case 'trpcDryRun':
      return post('/trpc/dryRunProposal', `{"payload":${body},"reconcile":true}`);
  }
}

// ---- query strings -----------------------------------------------------------------------------

const QUERY_KEYS = [
  'dryRun',
  'dryrun',
  'reconcile',
  'proposal',
  'outcome',
  'limit',
  'cursor',
  'input',
  'batch',
  '__proto__',
  'constructor[prototype]',
  'a[b][c]',
  'limit[]',
];
const QUERY_VALUES = [
  'true',
  'false',
  '1',
  '',
  '-1',
  '0',
  '201',
  '1e9',
  'NaN',
  'MX-1',
  'MX-',
  '-',
  'succeeded',
  'failed',
  'x'.repeat(5000),
  '%',
  '%zz',
  '%00',
  '%C0%AF',
  '%FF%FE',
  "' OR 1=1 --",
  'eyJ4IjoxfQ',
  '{"0":{}}',
  '[]',
];
const raw = fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent);
const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_KEYS), raw),
      fc.oneof(
        fc.constantFrom(...QUERY_VALUES),
        raw,
        fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent),
      ),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
const segment = fc.oneof(fc.constantFrom('MX', '1', '%00', '%2F', '..', "'", '%C0%AF', 'x'.repeat(300)), raw);

type QueryCase = {
  kind: 'runs' | 'sync' | 'proposal' | 'schema' | 'trpcRuns';
  query: string;
  code: string;
  number: string;
};
const queryCase: fc.Arbitrary<QueryCase> = fc.record({
  kind: fc.constantFrom('runs', 'sync', 'proposal', 'schema', 'trpcRuns'),
  query: queryString,
  code: segment,
  number: segment,
});

function sendQuery(t: Target, q: QueryCase, valid: string): Promise<HttpResult> {
  const headers = { authorization: `Bearer ${t.token}` };
  switch (q.kind) {
    case 'runs':
      return t.client.request(`${BASE}/sync_runs?${q.query}`, { headers });
    case 'sync':
      // a valid payload under fuzzed flags: only spelled-out flags may change what happens
      return t.client.request(`${BASE}/sync_proposal?${q.query}`, {
        body: valid,
        raw: true,
        headers: { ...headers, 'content-type': 'application/json' },
      });
    case 'proposal':
      return t.client.request(`${BASE}/proposal/${q.code || 'MX'}/${q.number || '1'}?${q.query}`, {
        headers,
      });
    case 'schema':
      return t.client.request(`${BASE}/sync_proposal/schema?${q.query}`, { headers });
    case 'trpcRuns':
      return t.client.request(`/trpc/syncRuns?${q.query}`, { headers });
  }
}

// ---- the runs ----------------------------------------------------------------------------------

function fuzz(name: string, open: () => Promise<{ target: Target; close(): Promise<void> }>) {
  describe(`fuzz over HTTP (${name})`, () => {
    let target: Target;
    let close: () => Promise<void>;
    const statuses = new Map<number, number>();
    const timing = new Map<string, number>();
    const count = (res: HttpResult) => statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);

    beforeAll(async () => {
      ({ target, close } = await open());
    });
    afterAll(async () => {
      console.info(`fuzz ${name}: statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
      console.info(
        `fuzz ${name}: ms ${JSON.stringify(Object.fromEntries([...timing].map(([k, v]) => [k, Math.round(v)])))}`,
      );
      await close?.();
    });

    it(
      `${PAYLOADS} generated payloads on five routes: no 5xx, no leak`,
      async () => {
        await fc.assert(
          fc.asyncProperty(payloadCase, async ({ body, route: r }) => {
            const started = performance.now();
            const res = await send(target, body, r);
            const key = `${r} ${body.length > 100_000 ? 'big' : 'small'} ${res.status}`;
            timing.set(key, (timing.get(key) ?? 0) + performance.now() - started);
            count(res);
            check(res, `${r} ${body.slice(0, 300)}`);
          }),
          { numRuns: PAYLOADS, seed: SEED, endOnFailure: true },
        );
        expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
      },
      TIMEOUT_MS,
    );

    it(
      `${QUERIES} generated query strings and path segments: no 5xx, no leak`,
      async () => {
        const factory = new PayloadFactory({ seed: 77, namespace: 'fq', sharedPersons: 0, sharedLabs: 0 });
        await fc.assert(
          fc.asyncProperty(queryCase, async (q) => {
            const res = await sendQuery(target, q, JSON.stringify(factory.typical()));
            count(res);
            check(res, `${q.kind} ${q.code}/${q.number}?${q.query.slice(0, 300)}`);
          }),
          { numRuns: QUERIES, seed: SEED + 1, endOnFailure: true },
        );
      },
      TIMEOUT_MS,
    );

    it('afterwards: no orphan rows, no half-written proposal', async () => {
      expect(await target.orphans()).toEqual({});
    });
  });
}

if (ready) {
  fuzz('embedded SQLite', async () => {
    // in memory-backed /dev/shm where there is one: thousands of commits, none needs to reach a disk
    const dir = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    const file = path.join(dir, `upsync_t_fuzz_${process.pid}_${Date.now()}.sqlite`);
    const upsync = await Upsync.open(`sqlite:${file}`);
    const server: RunningServer = await startServer(upsync);
    const client = new HttpClient(server.url, 4);
    return {
      target: {
        client,
        token: server.token,
        orphans: async () => {
          const db = new DatabaseSync(file, { readOnly: true });
          try {
            const found: Record<string, number> = {};
            for (const [name, sql] of Object.entries(ORPHAN_CHECKS)) {
              const n = db.prepare(sql).all().length;
              if (n > 0) found[name] = n;
            }
            return found;
          } finally {
            db.close();
          }
        },
      },
      close: async () => {
        client.close();
        await server.close();
        await upsync.close();
        for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(`${file}${suffix}`, { force: true });
      },
    };
  });
}

const privateServer = mariadb && (await PrivateMariaDb.available());
if (mariadb) {
  fuzz('MariaDB', async () => {
    // a private mariadbd that does not flush each commit to disk (thousands of them), where the
    // binaries exist; else the shared server
    const server = privateServer
      ? await PrivateMariaDb.create(['--innodb-flush-log-at-trx-commit=0', '--innodb-doublewrite=0'])
      : undefined;
    const h: Harness = await startHarness('fuzz', {}, server?.url);
    return {
      target: {
        client: h.client,
        token: h.server.token,
        orphans: async () => {
          const conn = await connect(h.db.name, server?.url);
          try {
            return await violations(conn, ORPHAN_CHECKS);
          } finally {
            await conn.end();
          }
        },
      },
      close: async () => {
        await h.close();
        await server?.destroy();
      },
    };
  });
}

describe.skipIf(ready)('fuzz over HTTP', () => {
  it.skip('needs the built packages (npm run build)', () => {});
});
