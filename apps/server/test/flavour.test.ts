import { createTestDatabase, mariadbReachable, type TestDatabase } from '@upsync/sync-core/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example } from './helpers/examples.js';
import { schemaViolations } from './helpers/openapi-schema.js';
import { bearer, startTestServer, type TestServer } from './helpers/server.js';

const SYNC = '/ispyb/api/v1/webservices/userportalsync/sync_proposal';
const PROPOSAL = '/ispyb/api/v1/webservices/userportalsync/proposal/I/20140076';
/** Fields of the example payload whose columns Diamond's flavour lacks (sql/ispyb-tables.diamond.mariadb.sql). */
const MISSING = [
  'laboratoryExtPk',
  'expSessionPk',
  'sessionTitle',
  'structureDeterminations',
  'nbReimbDewars',
];
const reachable = await mariadbReachable();

/** The payload part of a served OpenAPI document. */
const payloadOf = (openapi: { components: { schemas: Record<string, unknown> } }) =>
  Object.fromEntries(
    Object.entries(openapi.components.schemas).filter(([name]) => name.startsWith('SyncProposal')),
  );

/** The JSON Schema of one payload object, wherever the document keeps it (inline or in $defs/components). */
function sessionProperties(doc: Record<string, unknown>): Record<string, Record<string, unknown>> {
  let found: Record<string, Record<string, unknown>> | undefined;
  const walk = (value: unknown) => {
    if (found || value === null || typeof value !== 'object') return;
    const props = (value as { properties?: Record<string, Record<string, unknown>> }).properties;
    if (props && 'beamLineName' in props) found = props;
    else for (const v of Object.values(value)) walk(v);
  };
  walk(doc);
  if (!found) throw new Error('no session object in the document');
  return found;
}

describe.skipIf(!reachable)("a server on Diamond's ISPyB flavour (UPSYNC_MISSING_COLUMNS)", () => {
  let db: TestDatabase;
  let refusing: TestServer;
  let skipping: TestServer;
  beforeAll(async () => {
    db = await createTestDatabase('server_diamond', { flavour: 'diamond' });
    refusing = await startTestServer(db.url);
    skipping = await startTestServer(db.url, { UPSYNC_MISSING_COLUMNS: 'skip' });
  });
  afterAll(async () => {
    await refusing?.close();
    await skipping?.close();
    await db?.drop();
  });

  it('refuse (default): 422 naming each field the database cannot store; schema and OpenAPI leave them out', async () => {
    const res = await request(refusing.url).post(SYNC).set(bearer()).send(example('pyispyb-create'));
    expect(res.status).toBe(422);
    const paths = (res.body.errors as { path: string; code: string }[]).map((e) => `${e.code} ${e.path}`);
    expect(paths).toContain('missing_column sessions[1].expSessionPk');
    expect(paths).toContain('missing_column proposal.persons[0].laboratory.laboratoryExtPk');
    for (const doc of [
      (await request(refusing.url).get(`${SYNC}/schema`).set(bearer())).body,
      payloadOf((await request(refusing.url).get('/openapi.json')).body),
    ]) {
      const session = sessionProperties(doc);
      expect(session).not.toHaveProperty('sessionTitle');
      expect(session).not.toHaveProperty('expSessionPk');
      expect(session).toHaveProperty('externalId');
      expect(JSON.stringify(doc)).not.toContain('laboratoryExtPk');
    }
  });

  it('skip: the example syncs with MISSING_COLUMN warnings; schema and OpenAPI mark those fields ignored', async () => {
    const res = await request(skipping.url).post(SYNC).set(bearer()).send(example('pyispyb-create'));
    expect(res.status).toBe(200);
    const warnings = res.body.warnings as { path: string; code: string }[];
    expect(warnings.length).toBeGreaterThan(0);
    expect(new Set(warnings.map((w) => w.code))).toEqual(new Set(['MISSING_COLUMN']));
    expect(warnings.map((w) => w.path)).toContain('sessions[0].sessionTitle');
    const again = await request(skipping.url).post(SYNC).set(bearer()).send(example('pyispyb-create'));
    expect(again.status).toBe(200);
    for (const c of Object.values(
      again.body.summary as Record<string, { created: number; updated: number; deleted: number }>,
    ))
      expect(c.created + c.updated + c.deleted).toBe(0);
    for (const doc of [
      (await request(skipping.url).get(`${SYNC}/schema`).set(bearer())).body,
      payloadOf((await request(skipping.url).get('/openapi.json')).body),
    ]) {
      const session = sessionProperties(doc);
      expect(session.sessionTitle).toMatchObject({ 'x-upsync-ignored': true, deprecated: true });
      expect(session.beamLineName).not.toHaveProperty('x-upsync-ignored');
    }
  });

  it.each(['refuse', 'skip'] as const)(
    "%s: the read-back's schema in /openapi.json leaves out the fields this database lacks, and the read-back matches it",
    async (mode) => {
      const server = mode === 'refuse' ? refusing : skipping;
      // the example, synced under skip (refuse would not take it)
      expect(
        (await request(skipping.url).post(SYNC).set(bearer()).send(example('pyispyb-create'))).status,
      ).toBe(200);
      const openapi = (await request(server.url).get('/openapi.json')).body;
      const snapshot = JSON.stringify(openapi.components.schemas.ProposalSnapshot);
      expect(MISSING.filter((field) => snapshot.includes(`"${field}"`))).toEqual([]);
      expect(snapshot).toContain('"beamLineName"');
      expect(snapshot).toContain('"laboratoryId"');

      const res = await request(server.url).get(PROPOSAL).set(bearer());
      expect(res.status).toBe(200);
      expect(res.body.sessions[0]).toHaveProperty('beamLineName', 'P11');
      expect(schemaViolations(openapi, 'ProposalSnapshot', res.body)).toEqual([]);
    },
  );
});
