import { DECLARATION, type FieldDeclaration, type ValueKind } from '@upsync/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IspybEntityName } from '../src/entities/index.js';
import { closeOrm, createOrm, type UpsyncOrm } from '../src/index.js';
import { internalsOf } from '../src/orm/internals.js';
import { createTestDatabase, createTestSqliteDatabase, type TestDatabase } from '../src/testing/index.js';
import { MARIADB, sql } from './support/targets.js';

interface ColumnRow {
  TABLE_NAME: string;
  COLUMN_NAME: string;
  COLUMN_TYPE: string;
  IS_NULLABLE: string;
  CHARACTER_MAXIMUM_LENGTH: number | null;
  CHARACTER_SET_NAME: string | null;
}

/** The SQL column types of the official schema that each value kind may be declared on. */
const COLUMN_TYPES: Record<ValueKind, RegExp> = {
  text: /^(varchar\(\d+\)|text)$/,
  int: /^int(\(11\))?$/,
  uint: /^int(\(10\))? unsigned$/,
  tinyuint: /^tinyint(\(3\))? unsigned$/,
  float: /^float$/,
  double: /^double$/,
  flag: /^tinyint(\(1\))?$/,
  datetime: /^(datetime|timestamp)$/,
  enum: /^enum\(/,
  externalId: /^binary\(16\)$/,
};

const propertiesOf = (orm: UpsyncOrm, entity: string) =>
  Object.keys(
    internalsOf(orm)
      .orm.getMetadata()
      .get(internalsOf(orm).entities[entity as IspybEntityName]).properties,
  );

// The entity and property names the sync engine refers to (they must not change with the builder).
const PROPERTIES: Record<string, string[]> = {
  Laboratory: [
    'laboratoryId',
    'laboratoryUUID',
    'name',
    'address',
    'city',
    'country',
    'url',
    'organization',
    'recordTimeStamp',
    'laboratoryExtPk',
  ],
  Person: [
    'personId',
    'laboratory',
    'siteId',
    'personUUID',
    'familyName',
    'givenName',
    'title',
    'emailAddress',
    'phoneNumber',
    'login',
    'passwd',
    'faxNumber',
    'recordTimeStamp',
    'externalId',
    'cache',
  ],
  Proposal: [
    'proposalId',
    'person',
    'title',
    'proposalCode',
    'proposalNumber',
    'proposalType',
    'bltimeStamp',
    'externalId',
    'state',
  ],
  ProposalHasPerson: ['proposalHasPersonId', 'proposal', 'person'],
  LabContact: [
    'labContactId',
    'person',
    'cardName',
    'proposal',
    'defaultCourrierCompany',
    'courierAccount',
    'billingReference',
    'dewarAvgCustomsValue',
    'dewarAvgTransportValue',
    'recordTimeStamp',
  ],
  Protein: [
    'proteinId',
    'proposal',
    'name',
    'acronym',
    'description',
    'hazardGroup',
    'containmentLevel',
    'safetyLevel',
    'molecularMass',
    'proteinType',
    'sequence',
    'person',
    'bltimeStamp',
    'isCreatedBySampleSheet',
    'externalId',
    'componentTypeId',
    'modId',
    'concentrationTypeId',
    'global',
  ],
  BLSession: [
    'sessionId',
    'expSessionPk',
    'beamLineSetupId',
    'proposal',
    'projectCode',
    'startDate',
    'endDate',
    'beamLineName',
    'scheduled',
    'nbShifts',
    'comments',
    'beamLineOperator',
    'visit_number',
    'bltimeStamp',
    'usedFlag',
    'sessionTitle',
    'structureDeterminations',
    'dewarTransport',
    'databackupFrance',
    'databackupEurope',
    'operatorSiteNumber',
    'lastUpdate',
    'protectedData',
    'externalId',
    'nbReimbDewars',
  ],
  Session_has_Person: ['session', 'person', 'role', 'remote'],
};

describe('entities built from the declaration on the embedded SQLite database', () => {
  let db: TestDatabase;
  let orm: UpsyncOrm;
  beforeAll(async () => {
    db = createTestSqliteDatabase('core_entities');
    orm = await createOrm({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await closeOrm(orm);
    await db.drop();
  });

  it('keep the entity and property names the engine uses', () => {
    for (const [entity, properties] of Object.entries(PROPERTIES))
      expect(propertiesOf(orm, entity).sort(), entity).toEqual([...properties].sort());
  });
});

describe.skipIf(MARIADB.skip)('the declaration and the official ISPyB schema (MariaDB fixture)', () => {
  let db: TestDatabase;
  let orm: UpsyncOrm;
  let columns: Map<string, ColumnRow>;
  beforeAll(async () => {
    db = await createTestDatabase('core_declaration', { serviceTables: false });
    orm = await createOrm({ databaseUrl: db.url });
    const rows = await sql<ColumnRow>(
      orm,
      'SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, CHARACTER_MAXIMUM_LENGTH, CHARACTER_SET_NAME ' +
        'FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()',
    );
    columns = new Map(rows.map((r) => [`${r.TABLE_NAME}.${r.COLUMN_NAME}`, r]));
  });
  afterAll(async () => {
    await closeOrm(orm);
    await db.drop();
  });

  it('declares every field with the official column type, length, charset, nullability and enum values', () => {
    for (const { table, fields } of Object.values(DECLARATION)) {
      for (const f of Object.values(fields) as FieldDeclaration[]) {
        const where = `${table}.${f.column}`;
        const row = columns.get(where);
        expect(row, `${where} exists`).toBeDefined();
        expect(row!.COLUMN_TYPE, `${where} is ${f.kind}`).toMatch(COLUMN_TYPES[f.kind]);
        expect(row!.IS_NULLABLE === 'YES', `${where} nullable`).toBe(f.facts.nullable);
        if (f.kind === 'text') {
          expect(Number(row!.CHARACTER_MAXIMUM_LENGTH), `${where} length`).toBe(f.facts.maxLength);
          expect(row!.CHARACTER_SET_NAME === 'latin1', `${where} latin1`).toBe(f.facts.latin1 === true);
          expect(row!.CHARACTER_SET_NAME === 'utf8mb3', `${where} utf8mb3`).toBe(f.facts.utf8mb3 === true);
        }
        if (f.kind === 'enum')
          expect(orm.columnLimits[table]?.[f.column]?.enumValues).toEqual(f.facts.enumValues);
      }
    }
  });

  it('maps every column the same way on MariaDB as on SQLite', () => {
    for (const [entity, properties] of Object.entries(PROPERTIES))
      expect(propertiesOf(orm, entity).sort(), entity).toEqual([...properties].sort());
  });

  it('leaves a column the database lacks out of its entity (and keeps the rest)', async () => {
    await sql(orm, 'ALTER TABLE BLSession DROP COLUMN expSessionPk');
    await sql(orm, 'ALTER TABLE Laboratory DROP COLUMN organization');
    const other = await createOrm({ databaseUrl: db.url });
    try {
      expect(propertiesOf(other, 'BLSession')).not.toContain('expSessionPk');
      expect(propertiesOf(other, 'Laboratory')).not.toContain('organization');
      expect(propertiesOf(other, 'BLSession')).toContain('sessionTitle');
      expect(propertiesOf(other, 'BLSession').length).toBe(PROPERTIES.BLSession!.length - 1);
    } finally {
      await closeOrm(other);
    }
  });
});
