import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeOrm, createOrm, SyncError, syncProposal, type UpsyncOrm } from '../src/index.js';
import { internalsOf } from '../src/orm/internals.js';
import { countStatements, createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import { example, MARIADB, sql } from './support/targets.js';

// Diamond's flavour (sql/ispyb-tables.diamond.mariadb.sql) lacks, among the payload's columns,
// Laboratory.laboratoryExtPk, Protein.modId and ten BLSession columns. What py-ISPyB's example
// payloads carry of them, by payload path:
const SESSION_FIELDS = [
  'sessionTitle',
  'structureDeterminations',
  'dewarTransport',
  'databackupFrance',
  'databackupEurope',
  'operatorSiteNumber',
  'nbReimbDewars',
];
const expectedWarnings = (labPersons: string[]) => [
  ...SESSION_FIELDS.map((f) => `sessions[0].${f}`),
  ...SESSION_FIELDS.map((f) => `sessions[1].${f}`),
  'sessions[1].expSessionPk',
  // its only key was expSessionPk (no externalId): not synced
  'sessions[1]',
  ...labPersons.map((p) => `${p}.laboratory.laboratoryExtPk`),
];
const CREATE_LABS = [
  'proposal.persons[0]',
  'proposal.labcontacts[0].person',
  'proposal.labcontacts[1].person',
  'proteins[0].person',
  'proteins[1].person',
  'sessions[0].persons[0]',
  'sessions[1].persons[0]',
];
const UPDATE_LABS = [
  'proposal.persons[0]',
  'proposal.persons[2]',
  'proposal.labcontacts[0].person',
  'proposal.labcontacts[1].person',
  'proteins[0].person',
  'proteins[1].person',
  'sessions[0].persons[0]',
  'sessions[0].persons[1]',
  'sessions[1].persons[0]',
  'sessions[1].persons[1]',
];

const pathsOf = (warnings: { path: string; code: string }[]) =>
  warnings.map((w) => `${w.code} ${w.path}`).sort();
const missing = (paths: string[]) => paths.map((p) => `MISSING_COLUMN ${p}`).sort();

describe.skipIf(MARIADB.skip)("Diamond's ISPyB flavour (UPSYNC_MISSING_COLUMNS)", () => {
  let db: TestDatabase;
  let orm: UpsyncOrm;
  beforeAll(async () => {
    db = await createTestDatabase('core_diamond', { flavour: 'diamond' });
    orm = await createOrm({ databaseUrl: db.url, timeZone: 'Europe/London', missingColumns: 'skip' });
  });
  afterAll(async () => {
    await closeOrm(orm);
    await db.drop();
  });

  it('refuse (the default) names every field this database cannot store', async () => {
    const refusing = await createOrm({ databaseUrl: db.url });
    try {
      const error = await syncProposal(refusing, example('pyispyb-create')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SyncError);
      const issues = (error as SyncError).issues ?? [];
      expect(new Set(issues.map((i) => i.code))).toEqual(new Set(['missing_column']));
      expect(issues.map((i) => i.path).sort()).toEqual(
        expectedWarnings(CREATE_LABS)
          .filter((p) => p !== 'sessions[1]')
          .sort(),
      );
      expect(issues.find((i) => i.path === 'sessions[1].expSessionPk')?.message).toBe(
        'the column BLSession.expSessionPk does not exist in this ISPyB database',
      );
      expect(await sql(refusing, 'SELECT COUNT(*) AS n FROM Person')).toEqual([{ n: 0 }]);
    } finally {
      await closeOrm(refusing);
    }
  });

  it('skip: the create example syncs with exactly one MISSING_COLUMN warning per field it cannot store', async () => {
    const result = await syncProposal(orm, example('pyispyb-create'));
    expect(pathsOf(result.warnings)).toEqual(missing(expectedWarnings(CREATE_LABS)));
    expect(result.summary.proposal.created).toBe(1);
    expect(result.summary.sessions.created).toBe(1);
    expect(result.entities.sessions.map((s) => s.path)).toEqual(['sessions[0]']);
    // laboratories fall back to (name, city, country): three rows, as on the official schema
    const labs = await sql<{ name: string }>(orm, 'SELECT name FROM Laboratory ORDER BY name');
    expect(labs.map((l) => l.name)).toEqual(['DESY', 'Lab0', 'MAXIV']);
    const sessions = await sql<Record<string, unknown>>(
      orm,
      'SELECT externalId IS NOT NULL AS keyed, beamLineName FROM BLSession',
    );
    expect(sessions).toEqual([{ keyed: 1, beamLineName: 'P11' }]);
    // sessions[1]'s person is still synced as a person; only its participation is not written
    expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Person')).toEqual([{ n: 6 }]);
    expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Session_has_Person')).toEqual([{ n: 2 }]);
  });

  it('skip: an unchanged re-sync writes nothing and warns the same', async () => {
    const { result, counts } = await countStatements(orm, () => syncProposal(orm, example('pyispyb-create')));
    expect(counts.insert + counts.update + counts.delete).toBe(0);
    expect(counts.ispybWrites).toBe(0);
    for (const [kind, c] of Object.entries(result.summary))
      expect({ kind, changed: c.created + c.updated + c.deleted }).toEqual({ kind, changed: 0 });
    expect(pathsOf(result.warnings)).toEqual(missing(expectedWarnings(CREATE_LABS)));
  });

  it('skip: the update example applies, then re-syncs as unchanged', async () => {
    const result = await syncProposal(orm, example('pyispyb-update'));
    expect(pathsOf(result.warnings)).toEqual(missing(expectedWarnings(UPDATE_LABS)));
    expect(result.summary.proposal.updated).toBe(1);
    expect(await sql(orm, 'SELECT beamLineName FROM BLSession')).toEqual([{ beamLineName: 'ID23-1' }]);
    const again = await countStatements(orm, () => syncProposal(orm, example('pyispyb-update')));
    expect(again.counts.ispybWrites).toBe(0);
  });

  it('the entities and the schema report name only the columns this database has', () => {
    const { orm: mikroOrm, entities } = internalsOf(orm);
    const meta = mikroOrm.getMetadata();
    expect(Object.keys(meta.get(entities.BLSession).properties)).not.toContain('expSessionPk');
    expect(Object.keys(meta.get(entities.Laboratory).properties)).not.toContain('laboratoryExtPk');
    expect(Object.keys(meta.get(entities.Person).properties)).not.toContain('passwd');
    expect(orm.schemaReport.lines).toContain(
      'column BLSession.expSessionPk is missing: payload fields stored there are skipped (not written, with a MISSING_COLUMN warning)',
    );
    // Diamond's extra role values come from the live enum
    expect(orm.columnLimits.Session_has_Person?.role?.enumValues).toContain('Data Access');
  });
});
