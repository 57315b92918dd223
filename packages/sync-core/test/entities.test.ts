import { DECLARATION, type FieldDeclaration, type ValueKind } from '@upsync/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IspybEntityName } from '../src/entities/build-entities.js';
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

/** Every column an entity maps, per table (property → column through the mapping). */
const columnsOf = (orm: UpsyncOrm, entity: string) =>
  internalsOf(orm)
    .orm.getMetadata()
    .get(internalsOf(orm).entities[entity as IspybEntityName])
    .props.flatMap((prop) => prop.fieldNames);

// The relations the sync engine navigates by name (the declaration names only payload fields).
const RELATIONS: Record<IspybEntityName, string[]> = {
  Laboratory: [],
  Person: ['laboratory'],
  Proposal: ['person'],
  ProposalHasPerson: ['proposal', 'person'],
  LabContact: ['person', 'proposal'],
  Protein: ['proposal', 'person'],
  BLSession: ['proposal'],
  Session_has_Person: ['session', 'person'],
};

/** The stored CREATE statement of a table or index of the embedded database. */
async function definition(orm: UpsyncOrm, name: string): Promise<string> {
  const [row] = await sql<{ sql: string }>(orm, 'SELECT sql FROM sqlite_master WHERE name = ?', [name]);
  return row?.sql ?? '';
}

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

  it('map every declared field, under its column name, and the relations the engine uses', () => {
    for (const { table, fields } of Object.values(DECLARATION))
      for (const f of Object.values(fields) as FieldDeclaration[])
        expect(propertiesOf(orm, table), `${table}.${f.column}`).toContain(f.column);
    for (const [entity, relations] of Object.entries(RELATIONS))
      expect(propertiesOf(orm, entity), entity).toEqual(expect.arrayContaining(relations));
    expect(Object.keys(internalsOf(orm).entities).sort()).toEqual(Object.keys(RELATIONS).sort());
  });

  it('are the tables of the file: the generated columns are the mapped ones', async () => {
    for (const entity of Object.keys(RELATIONS)) {
      const live = await sql<{ name: string }>(orm, `SELECT name FROM pragma_table_info('${entity}')`);
      expect(live.map((c) => c.name).sort(), entity).toEqual(columnsOf(orm, entity).sort());
    }
  });

  it('generate what the sync relies on: case-insensitive keys, blobs, defaults, uniques, autoincrement ids', async () => {
    for (const { table, fields } of Object.values(DECLARATION))
      for (const f of Object.values(fields) as FieldDeclaration[]) {
        const column = new RegExp(`\x60${f.column}\x60 ([^,]*)`).exec(await definition(orm, table))?.[1];
        // ISPyB's *_ci collations on the identity keys' text (sync-spec: mx and MX are one proposal code)
        if (f.kind === 'text' && f.key) expect(column, `${table}.${f.column}`).toMatch(/collate NOCASE/);
        if (f.kind === 'externalId') expect(column, `${table}.${f.column}`).toMatch(/^blob/);
      }
    expect(await definition(orm, 'Person')).toMatch(
      /`recordTimeStamp` timestamp not null default CURRENT_TIMESTAMP/,
    );
    expect(await definition(orm, 'Protein')).toMatch(/`hazardGroup` integer not null default 1/);
    expect(await definition(orm, 'Proposal')).toMatch(/`state` text check .* default 'Open'/);
    expect(await definition(orm, 'Proposal')).toMatch(
      /`proposalId` integer not null primary key autoincrement/,
    );
    expect(await definition(orm, 'LabContact_cardName_proposalId_unique')).toMatch(/^CREATE UNIQUE INDEX/);
    expect(await definition(orm, 'LabContact_personId_proposalId_unique')).toMatch(/^CREATE UNIQUE INDEX/);
    expect(await definition(orm, 'Proposal_FKIndexCodeNumber')).toMatch(
      /\(`proposalCode`, `proposalNumber`\)/,
    );
  });
});

describe.skipIf(MARIADB.skip)('the declaration and the official ISPyB schema (MariaDB fixture)', () => {
  let db: TestDatabase;
  let orm: UpsyncOrm;
  let embedded: TestDatabase;
  let embeddedOrm: UpsyncOrm;
  let columns: Map<string, ColumnRow>;
  beforeAll(async () => {
    db = await createTestDatabase('core_declaration', { serviceTables: false });
    orm = await createOrm({ databaseUrl: db.url });
    embedded = createTestSqliteDatabase('core_declaration');
    embeddedOrm = await createOrm({ databaseUrl: embedded.url });
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
    await closeOrm(embeddedOrm);
    await embedded.drop();
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

  it('maps every column the same way on MariaDB as on SQLite, each one a column of the fixture', () => {
    for (const entity of Object.keys(RELATIONS)) {
      expect(propertiesOf(orm, entity).sort(), entity).toEqual(propertiesOf(embeddedOrm, entity).sort());
      for (const column of columnsOf(orm, entity))
        expect(columns.has(`${entity}.${column}`), column).toBe(true);
    }
  });

  it('leaves a column the database lacks out of its entity (and keeps the rest)', async () => {
    const mapped = propertiesOf(orm, 'BLSession').length;
    await sql(orm, 'ALTER TABLE BLSession DROP COLUMN expSessionPk');
    await sql(orm, 'ALTER TABLE Laboratory DROP COLUMN organization');
    const other = await createOrm({ databaseUrl: db.url });
    try {
      expect(propertiesOf(other, 'BLSession')).not.toContain('expSessionPk');
      expect(propertiesOf(other, 'Laboratory')).not.toContain('organization');
      expect(propertiesOf(other, 'BLSession')).toContain('sessionTitle');
      expect(propertiesOf(other, 'BLSession').length).toBe(mapped - 1);
    } finally {
      await closeOrm(other);
    }
  });
});
