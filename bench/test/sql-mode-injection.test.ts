import { DEFAULT_COLUMN_LIMITS, FIELD_COLUMNS } from '@upsync/schema';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db.js';
import { type Json, type JsonObject, PayloadFactory } from '../src/payloads.js';
import { PrivateMariaDb } from '../src/private-mariadb.js';
import { type Harness, startHarness } from './harness.js';
import { packagesReady } from './support.js';

// A private mariadbd whose GLOBAL sql_mode has NO_BACKSLASH_ESCAPES (a DBA's setting): no other
// test shares it. Under that mode a backslash does not escape a quote, so `x\'; …` would end the
// literal that mysql2 escaped as `'x\\\'; …'` and run the rest as a second statement.
const binaries = await PrivateMariaDb.available();
if (!binaries) {
  const message = 'mariadbd / mariadb-install-db not found: the sql_mode injection test cannot run';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n*** SKIPPING: ${message} ***\n`);
}
const available = binaries && (await packagesReady());

const MODE =
  'NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

/** Each variant tries to create its own table; none may exist afterwards. */
const VARIANTS: [table: string, value: string][] = [
  ['t1', "x\\'; CREATE TABLE t1 (i int); -- "],
  ['t2', "x\\\\'; CREATE TABLE t2 (i int); -- "],
  ['t3', "x'; CREATE TABLE t3 (i int); -- "],
  ['t4', "\\'); CREATE TABLE t4 (i int); #"],
  ['t5', 'x\\"; CREATE TABLE t5 (i int); -- \\'],
];

type Entity = keyof typeof FIELD_COLUMNS;
type Stored = { table: string; column: string; value: string };

/** The text columns of an entity: those with a length (enums and numbers have none). */
function textFields(entity: Entity): [field: string, table: string, column: string, maxLength: number][] {
  return Object.entries(FIELD_COLUMNS[entity]).flatMap(([field, { table, column }]) => {
    const facts = (DEFAULT_COLUMN_LIMITS as Record<string, Record<string, { maxLength?: number }>>)[table]?.[
      column
    ];
    return facts?.maxLength === undefined ? [] : [[field, table, column, facts.maxLength] as const];
  }) as [string, string, string, number][];
}

/**
 * Sets EVERY text field of every entity of `payload` to the variant, prefixed with a number that
 * keeps distinct things distinct (the same person or laboratory gets the same values wherever it
 * appears); fields too short for the whole value get its start (still a backslash and a quote).
 */
function injectEverywhere(payload: JsonObject, variant: string): Stored[] {
  const stored: Stored[] = [];
  const numbers = new Map<string, number>();
  const textFor = (key: string, maxLength: number) => {
    if (!numbers.has(key)) numbers.set(key, numbers.size);
    const full = `${numbers.get(key)}${variant}`;
    return full.length <= maxLength ? full : variant.replace(/^x/, '').slice(0, maxLength);
  };
  const visit = (entity: Entity, value: Json | undefined) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const obj = value as JsonObject;
    // copies of one person share its externalId/login; copies of other things are equal as a whole
    const identity =
      entity === 'person'
        ? `person:${String(obj.externalId ?? obj.login)}`
        : `${entity}:${JSON.stringify(Object.entries(obj).filter(([, v]) => typeof v !== 'object'))}`;
    for (const [field, table, column, maxLength] of textFields(entity)) {
      const text = textFor(`${identity}.${field}`, maxLength);
      obj[field] = text;
      stored.push({ table, column, value: text });
    }
    if (entity === 'person') visit('laboratory', obj.laboratory);
  };
  const proposal = payload.proposal as JsonObject;
  const persons = (list: Json | undefined) => (Array.isArray(list) ? list : []);
  // laboratories first: their identity is taken before the persons' fields change
  for (const p of persons(proposal.persons)) visit('person', p);
  for (const lc of persons(proposal.labcontacts)) {
    visit('labContact', lc);
    visit('person', (lc as JsonObject).person);
  }
  for (const s of persons(payload.sessions)) {
    visit('session', s);
    for (const p of persons((s as JsonObject).persons)) visit('person', p);
  }
  for (const protein of persons(payload.proteins)) {
    visit('protein', protein);
    visit('person', (protein as JsonObject).person);
  }
  visit('proposal', proposal);
  return stored;
}

describe.skipIf(!available)('SQL injection under a global sql_mode with NO_BACKSLASH_ESCAPES', () => {
  let mariadb: PrivateMariaDb;
  let h: Harness;
  let probe: mysql.Connection;
  const factory = new PayloadFactory({ seed: 5, namespace: 'nbe', sharedPersons: 0, sharedLabs: 0 });

  beforeAll(async () => {
    mariadb = await PrivateMariaDb.create([`--sql-mode=${MODE}`]);
    h = await startHarness('sqlmode', {}, mariadb.url);
    probe = await connect(h.db.name, mariadb.url);
  });
  afterAll(async () => {
    await probe?.end().catch(() => {});
    await h?.close().catch(() => {});
    await mariadb?.destroy();
  });

  const tables = async () => {
    // execute: parameters bound by the server, not escaped by the client (this connection has the mode)
    const [rows] = await probe.execute(
      'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1',
      [h.db.name],
    );
    return (rows as { name: string }[]).map((r) => r.name);
  };

  it('the server really has the mode (the premise of this test)', async () => {
    const [rows] = await probe.query('SELECT @@GLOBAL.sql_mode AS mode, @@SESSION.sql_mode AS session');
    const [row] = rows as { mode: string; session: string }[];
    expect(row!.mode).toContain('NO_BACKSLASH_ESCAPES');
    expect(row!.session).toContain('NO_BACKSLASH_ESCAPES');
  });

  for (const [table, variant] of VARIANTS) {
    it(`every text field carrying ${JSON.stringify(variant)} is stored verbatim and runs nothing`, async () => {
      const before = await tables();
      const payload = factory.typical();
      const stored = injectEverywhere(payload, variant);
      expect(stored.length).toBeGreaterThan(50);
      const res = await h.sync(payload);
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
      expect(await tables()).toEqual(before);
      expect(before).not.toContain(table);
      for (const { table: t, column, value } of stored) {
        const [rows] = await probe.execute(
          `SELECT COUNT(*) AS n FROM \`${t}\` WHERE BINARY \`${column}\` = BINARY ?`,
          [value],
        );
        expect(
          Number((rows as { n: number }[])[0]!.n),
          `${t}.${column} = ${JSON.stringify(value)}`,
        ).toBeGreaterThan(0);
      }
      // the same payload again: found and unchanged (the look-ups match the stored text)
      const again = await h.sync(payload);
      expect(again.status).toBe(200);
      const summary = (again.body as { summary: Record<string, Record<string, number>> }).summary;
      for (const counts of Object.values(summary)) expect(counts.created ?? 0).toBe(0);
    });
  }
});
