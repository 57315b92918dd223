import { defineEntity, type EntitySchema, p } from '@mikro-orm/core';
import { DECLARATION, type FieldDeclaration, type IspybTable, type ValueKind } from '@upsync/schema';
import { Binary16Type } from './binary16-type.js';
import { LocalDatetimeType } from './local-datetime-type.js';

// sync-core's MikroORM entities (internal: they never leave sync-core; the sync finds them through
// its context, `entityOf(ctx, 'proteins')`), built from the schema package's declaration (the
// payload fields) and the few columns that are not payload fields: primary keys, relations, and
// columns upsync maps but never writes. Built when createOrm starts, from the live database's columns, so that an
// entity never names a column the database lacks.

/** A column described in the declaration's vocabulary (for the columns that are not payload fields). */
interface Column {
  kind: ValueKind | 'timestamp';
  maxLength?: number;
  nullable?: boolean;
  hidden?: boolean;
  /** The official schema's default (an SQL literal), for the embedded database's DDL only. */
  default?: string;
}

interface Relation {
  target: string;
  column: string;
  nullable?: boolean;
  primary?: boolean;
}

interface TableShape {
  /** The auto-increment primary key (none: the primary key is made of relations). */
  id?: string;
  relations: Record<string, Relation>;
  /**
   * Columns of the official table mapped but never written by the sync. A column that the
   * declaration also names is the declaration's: syncing one of these is one line there.
   */
  unsynced: Record<string, Column>;
  uniques?: readonly (readonly string[])[];
  /** Indexes of the official schema on the sync's lookup columns (name → properties), for the embedded database's DDL. */
  indexes?: Readonly<Record<string, readonly string[]>>;
  /** Defaults (SQL literals) of the official schema for declared fields, for the embedded database's DDL. */
  defaults?: Readonly<Record<string, string>>;
}

const TEXT = 65535;
const timestamp = { kind: 'timestamp', default: 'CURRENT_TIMESTAMP' } as const;

/** In dependency order: a relation's target comes before it. Entity name = table name. */
const TABLES = {
  Laboratory: {
    id: 'laboratoryId',
    relations: {},
    unsynced: {
      laboratoryUUID: { kind: 'text', maxLength: 45 },
      organization: { kind: 'text', maxLength: 45 },
      recordTimeStamp: timestamp,
    },
  },
  Person: {
    id: 'personId',
    relations: { laboratory: { target: 'Laboratory', column: 'laboratoryId', nullable: true } },
    unsynced: {
      // mapped so that nothing can serialize it by accident; never written
      passwd: { kind: 'text', maxLength: 45, hidden: true },
      recordTimeStamp: timestamp,
      cache: { kind: 'text', maxLength: TEXT },
    },
    indexes: { Person_FKIndex_Login: ['login'], Person_externalId: ['externalId'] },
  },
  Proposal: {
    id: 'proposalId',
    relations: { person: { target: 'Person', column: 'personId' } },
    unsynced: { bltimeStamp: timestamp },
    indexes: {
      Proposal_FKIndexCodeNumber: ['proposalCode', 'proposalNumber'],
      Proposal_externalId: ['externalId'],
    },
    defaults: { state: "'Open'" },
  },
  ProposalHasPerson: {
    id: 'proposalHasPersonId',
    relations: {
      proposal: { target: 'Proposal', column: 'proposalId' },
      person: { target: 'Person', column: 'personId' },
    },
    unsynced: {},
    indexes: { fk_ProposalHasPerson_Proposal: ['proposal'] },
  },
  LabContact: {
    id: 'labContactId',
    relations: {
      person: { target: 'Person', column: 'personId' },
      proposal: { target: 'Proposal', column: 'proposalId' },
    },
    unsynced: { recordTimeStamp: timestamp },
    uniques: [
      ['person', 'proposal'],
      ['cardName', 'proposal'],
    ],
    defaults: { dewarAvgCustomsValue: '0', dewarAvgTransportValue: '0' },
  },
  Protein: {
    id: 'proteinId',
    relations: {
      proposal: { target: 'Proposal', column: 'proposalId' },
      person: { target: 'Person', column: 'personId', nullable: true },
    },
    unsynced: { bltimeStamp: timestamp, global: { kind: 'flag', default: '0' } },
    indexes: { ProteinAcronym_Index: ['proposal', 'acronym'], Protein_externalId: ['externalId'] },
    defaults: { hazardGroup: '1', containmentLevel: '1', isCreatedBySampleSheet: '0' },
  },
  BLSession: {
    id: 'sessionId',
    relations: { proposal: { target: 'Proposal', column: 'proposalId' } },
    unsynced: { beamLineSetupId: { kind: 'uint' }, bltimeStamp: timestamp },
    indexes: { Session_FKIndex1: ['proposal', 'expSessionPk'], BLSession_externalId: ['externalId'] },
    defaults: { visit_number: '0', lastUpdate: 'CURRENT_TIMESTAMP' },
  },
  Session_has_Person: {
    relations: {
      session: { target: 'BLSession', column: 'sessionId', primary: true },
      person: { target: 'Person', column: 'personId', primary: true },
    },
    unsynced: {},
    defaults: { remote: '0' },
  },
} as const satisfies Record<IspybTable, TableShape & { relations: Record<string, { target: IspybTable }> }>;

export type Tables = typeof TABLES;

/** The eight ISPyB entities by name (entity name = table name; relations are named as in TABLES). */
export type IspybEntityName = keyof Tables;

export const ISPYB_ENTITY_NAMES = Object.keys(TABLES) as IspybEntityName[];

/** TABLES seen through its shape (the literal types are for the row types). */
const SHAPES: Record<IspybEntityName, TableShape> = TABLES;

/** The auto-increment id column of a table (none: its primary key is made of relations). */
export function idColumnOf(name: IspybEntityName): string | undefined {
  return SHAPES[name].id;
}

/** The payload fields stored in each table, from the declaration. */
export function declaredFields(table: IspybTable): FieldDeclaration[] {
  return Object.values(DECLARATION).flatMap((e) =>
    e.table === table ? (Object.values(e.fields) as FieldDeclaration[]) : [],
  );
}

// biome-ignore lint/suspicious/noExplicitAny: property builders of every kind end up in one record
type Builder = any;

type ColumnFacts = Column & { enumValues?: readonly string[]; sqlType?: string };

/** The property builder of each column kind. */
const BUILDERS: Record<Column['kind'], (c: ColumnFacts) => Builder> = {
  text: (c) => (c.maxLength !== undefined && c.maxLength < TEXT ? p.string().length(c.maxLength) : p.text()),
  int: () => p.integer(),
  uint: () => p.integer().unsigned(),
  tinyuint: () => p.tinyint().unsigned(),
  float: () => p.float(),
  double: () => p.double(),
  // ISPyB flags are tinyint(1) holding 0/1: mapped as integers (see stack.md, boolean trap)
  flag: () => p.tinyint(),
  // LocalDatetimeType: MikroORM would map these column types to Dates (numbers on SQLite), and a
  // value read back would never equal the string sent (a re-sync would rewrite it)
  datetime: (c) => p.type(LocalDatetimeType).columnType(c.sqlType ?? 'datetime'),
  timestamp: () => p.type(LocalDatetimeType).columnType('timestamp'),
  enum: (c) => p.enum([...(c.enumValues ?? [])]),
  externalId: () => p.type(Binary16Type),
};

/** The MikroORM property of one column. Datetimes stay facility-local 'YYYY-MM-DD HH:mm:ss' strings (no JS Date, no zone shifting). */
function property(name: string, c: ColumnFacts): Builder {
  let b: Builder = BUILDERS[c.kind](c);
  if (c.nullable !== false && c.kind !== 'timestamp') b = b.nullable();
  if (c.hidden) b = b.hidden();
  return b.fieldName(name);
}

/** Per table, every column the entities can map (the declaration's and the structural ones). */
export function declaredColumns(): Map<IspybEntityName, string[]> {
  const out = new Map<IspybEntityName, string[]>();
  for (const name of ISPYB_ENTITY_NAMES) {
    const shape = SHAPES[name];
    const columns = [
      ...(shape.id ? [shape.id] : []),
      ...Object.values(shape.relations).map((r) => r.column),
      ...declaredFields(name).map((f) => f.column),
      ...Object.keys(shape.unsynced),
    ];
    out.set(name, [...new Set(columns)]);
  }
  return out;
}

/** Per table, the official schema's column defaults (SQL literals) that the embedded database declares. */
export function columnDefaults(): Map<IspybEntityName, Record<string, string>> {
  return new Map(
    ISPYB_ENTITY_NAMES.map((name) => {
      const { unsynced, defaults } = SHAPES[name];
      const own = Object.entries(unsynced).flatMap(([column, c]) => (c.default ? [[column, c.default]] : []));
      return [name, { ...Object.fromEntries(own), ...defaults }];
    }),
  );
}

export type IspybEntities = Record<IspybEntityName, EntitySchema>;

/**
 * The eight ISPyB entities. With `live` (per table, the columns the database has), a column the
 * database lacks is left out of its entity; a table the database lacks keeps its whole mapping (the
 * schema report refuses syncs then). Entity and property names are fixed whatever the database.
 */
export function buildEntities(live?: ReadonlyMap<string, ReadonlySet<string>>): IspybEntities {
  const built = {} as IspybEntities;
  for (const name of ISPYB_ENTITY_NAMES) {
    const shape = SHAPES[name];
    const columns = live?.get(name);
    const has = (column: string) => !columns || columns.has(column);
    const properties: Record<string, Builder> = {};
    if (shape.id) properties[shape.id] = p.integer().unsigned().primary().autoincrement().fieldName(shape.id);
    for (const [prop, r] of Object.entries(shape.relations)) {
      if (!has(r.column)) continue;
      let b: Builder = p.manyToOne(built[r.target as IspybEntityName]);
      if (r.primary) b = b.primary();
      if (r.nullable) b = b.nullable();
      properties[prop] = b.fieldName(r.column);
    }
    for (const f of declaredFields(name)) {
      if (!has(f.column)) continue;
      properties[f.column] = property(f.column, { kind: f.kind, ...f.facts, sqlType: f.sqlType });
    }
    for (const [column, c] of Object.entries(shape.unsynced))
      if (has(column)) properties[column] = property(column, c);
    built[name] = defineEntity({
      name,
      tableName: name,
      properties,
      ...(shape.id ? {} : { primaryKeys: Object.keys(shape.relations) }),
      uniques: (shape.uniques ?? [])
        .filter((u) => u.every((prop) => prop in properties))
        .map((u) => ({ properties: [...u] })),
      // schema only (the embedded database's DDL): MikroORM never reads indexes at run time
      indexes: Object.entries(shape.indexes ?? {})
        .filter(([, props]) => props.every((prop) => prop in properties))
        .map(([indexName, props]) => ({ name: indexName, properties: [...props] })),
    });
  }
  return built;
}
