import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db.js';
import { type DuplicateGroup, duplicateGroups, ORPHAN_CHECKS, violations } from '../src/invariants.js';
import { SYNC_PATH } from '../src/upsync.js';
import { badPayload } from './bad-input-arbitraries.js';
import { type Harness, startHarness } from './harness.js';
import { mariadbReachable, packagesReady } from './support.js';

const reachable = (await mariadbReachable()) && (await packagesReady());
const RUNS = Number(process.env.UPSYNC_BAD_INPUT_RUNS ?? 2_000);
const SEED = Number(process.env.UPSYNC_BAD_INPUT_SEED ?? 20_240_611);

interface ErrorBody {
  code?: unknown;
  detail?: unknown;
  path?: unknown;
  errors?: { path?: unknown; message?: unknown }[];
}

/** 200, or a 4xx whose JSON body says what is wrong and where (422: every issue has a path). */
function checkAnswer(status: number, body: unknown, text: string): void {
  expect(status, text.slice(0, 2000)).toBeLessThan(500);
  if (status === 200) return;
  expect(status).toBeGreaterThanOrEqual(400);
  const b = body as ErrorBody;
  expect(typeof b, text.slice(0, 500)).toBe('object');
  expect(typeof b.code, text.slice(0, 500)).toBe('string');
  if (status === 422) {
    expect(Array.isArray(b.errors) && b.errors.length > 0, text.slice(0, 500)).toBe(true);
    for (const e of b.errors!) {
      expect(typeof e.path).toBe('string');
      expect(typeof e.message).toBe('string');
    }
  }
  // never raw SQL or a stack trace
  expect(text).not.toMatch(/\b(INSERT INTO|UPDATE `|SELECT .* FROM|ER_[A-Z_]+)\b|\n\s+at /);
}

/**
 * Whether a KEY_CONFLICT warning the service returned accounts for a duplicated key. sync-spec §4:
 * when a payload's externalId finds one row and its legacy key (login, code+number, acronym)
 * another, the externalId row wins and is given the key — two rows then share it, and the result
 * names both; when an entry's legacy key belongs to a row another entry's externalId claimed, a
 * new row is created, and the result names that row. Any other duplicate is the service's fault.
 */
function reported(group: DuplicateGroup, warnings: readonly string[]): boolean {
  const named = (message: string) => group.ids.filter((id) => message.includes(`${group.idColumn}=${id}`));
  return warnings.some(
    (m) => named(m).length >= 2 || (named(m).length === 1 && m.includes('a new row is created')),
  );
}

describe.skipIf(!reachable)('bad input through HTTP (property-based)', () => {
  let h: Harness;
  const keyConflicts: string[] = [];
  beforeAll(async () => {
    h = await startHarness('bad_input');
  });
  afterAll(async () => {
    await h?.close();
  });

  it(`${RUNS} generated payloads: never a 5xx, 200 or a 4xx naming a path`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(badPayload, async ({ payload }) => {
        const res = await h.sync(payload);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        checkAnswer(res.status, res.body, res.text);
        const warnings = (res.body as { warnings?: { code?: string; message?: string }[] }).warnings ?? [];
        for (const w of warnings) if (w.code === 'KEY_CONFLICT') keyConflicts.push(String(w.message));
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.info(`bad input: statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
  });

  it('raw bodies that are not JSON objects get a 4xx', async () => {
    const auth = { authorization: `Bearer ${h.server.token}`, 'content-type': 'application/json' };
    for (const body of ['', '{', 'null', '[]', '"x"', '42', '{"proposal":', '\u0000', '{"a":1}garbage']) {
      const res = await h.client.request(SYNC_PATH, { body, raw: true, headers: auth });
      checkAnswer(res.status, res.body, res.text);
      expect(res.status).not.toBe(200);
    }
    const xml = await h.client.request(SYNC_PATH, {
      body: '<proposal/>',
      raw: true,
      headers: { ...auth, 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
  });

  it('afterwards: no orphan rows, no half-written proposal, no duplicate the service did not report', async () => {
    const conn = await connect(h.db.name);
    try {
      expect(await violations(conn, ORPHAN_CHECKS)).toEqual({});
      const duplicates = await duplicateGroups(conn);
      expect(duplicates.filter((g) => !reported(g, keyConflicts))).toEqual([]);
      console.info(
        `bad input: ${duplicates.length} duplicated key(s), each reported by a KEY_CONFLICT warning (${keyConflicts.length} in all)`,
      );
    } finally {
      await conn.end();
    }
  });
});
