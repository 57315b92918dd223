import type { ColumnFacts, IspybTable } from './column-limits.js';

// The one declaration of every synced field: for each payload entity kind its ISPyB table and, per
// payload field (in payload order), the column, the kind of value, the official schema's facts
// (ispyb/ispyb-database at e378c95, see ispyb-tables.md) and its role in the entity's key. The Zod
// payload shapes, the JSON Schema, the default limits, the read-back snapshot shapes and sync-core's
// MikroORM entities are all derived from it. Adding a column to the sync is one line here.

/** How a field's value is validated, stored and read back. */
export type ValueKind =
  /** varchar (maxLength given) or text (maxLength 65535) */
  | 'text'
  /** int(11) */
  | 'int'
  /** int(10) unsigned */
  | 'uint'
  /** tinyint(3) unsigned */
  | 'tinyuint'
  /** float */
  | 'float'
  /** double */
  | 'double'
  /** tinyint(1) holding 0/1 */
  | 'flag'
  /** datetime or timestamp, facility-local wall-clock time */
  | 'datetime'
  /** enum(…): the values are the column's */
  | 'enum'
  /** binary(16): a UUID or an integer (sync-spec §3 externalId) */
  | 'externalId';

/** How the payload carries a field: required, optional (`null` clears), optional but never null, or an externalId. */
export type FieldMode = 'required' | 'optional' | 'optionalNotNull' | 'externalId';

export interface FieldDeclaration<
  K extends ValueKind = ValueKind,
  E extends string = string,
  M extends FieldMode = FieldMode,
> {
  /** The ISPyB column (today always the field's own name: the sync copies fields onto columns by name). */
  column: string;
  kind: K;
  /** Facts of the official schema: length, charset, nullability, enum values. */
  facts: ColumnFacts & { enumValues?: readonly E[] };
  /** Derived from `required`, the kind and the column's nullability. */
  mode: M;
  /** Rank in the entity's key precedence (sync-spec §4): 1 is tried first, then 2. */
  key?: 1 | 2;
  /** Blank text is refused: it is part of an identity key. */
  nonEmpty?: boolean;
  /** SQL type of a datetime column (`timestamp` for BLSession.lastUpdate); default `datetime`. */
  sqlType?: 'timestamp';
}

export interface EntityDeclaration {
  table: IspybTable;
  fields: Record<string, FieldDeclaration>;
}

interface Extra extends Omit<ColumnFacts, 'present' | 'nullable' | 'enumValues'> {
  key?: 1 | 2;
  /** The payload must carry the field (non-null). */
  required?: boolean;
  nonEmpty?: boolean;
  /** false: the column is NOT NULL (default: nullable). */
  nullable?: boolean;
  sqlType?: 'timestamp';
}

type ModeOf<K extends ValueKind, X extends Extra> = X extends { required: true }
  ? 'required'
  : K extends 'externalId'
    ? 'externalId'
    : X extends { nullable: false }
      ? 'optionalNotNull'
      : 'optional';

type Declared<K extends ValueKind, X extends Extra, E extends string = string> = Omit<
  FieldDeclaration<K, E, ModeOf<K, X>>,
  'column'
>;

function field<K extends ValueKind, const X extends Extra, E extends string = string>(
  kind: K,
  extra: X,
  enumValues?: readonly E[],
): Declared<K, X, E> {
  const { key, required, nonEmpty, sqlType, nullable = true, ...facts } = extra;
  const mode = required
    ? 'required'
    : kind === 'externalId'
      ? 'externalId'
      : nullable
        ? 'optional'
        : 'optionalNotNull';
  return {
    kind,
    facts: { ...facts, ...(enumValues ? { enumValues } : {}), nullable, present: true },
    mode: mode as ModeOf<K, X>,
    ...(key ? { key } : {}),
    ...(nonEmpty ? { nonEmpty } : {}),
    ...(sqlType ? { sqlType } : {}),
  };
}

// Shorthands, one per kind. `text(45, …)` is varchar(45); TEXT columns hold 65535 bytes.
const TEXT = 65535;
const text = <const X extends Extra = Record<never, never>>(maxLength: number, extra?: X) =>
  field('text', { maxLength, ...(extra as X) });
const latin1 = <const X extends Extra = Record<never, never>>(maxLength: number, extra?: X) =>
  field('text', { maxLength, latin1: true, ...(extra as X) });
const int = <const X extends Extra = Record<never, never>>(extra?: X) => field('int', { ...(extra as X) });
const uint = <const X extends Extra = Record<never, never>>(extra?: X) => field('uint', { ...(extra as X) });
const tinyuint = <const X extends Extra = Record<never, never>>(extra?: X) =>
  field('tinyuint', { ...(extra as X) });
const float = () => field('float', {});
const double = () => field('double', {});
const flag = () => field('flag', {});
const datetime = <const X extends Extra = Record<never, never>>(extra?: X) =>
  field('datetime', { ...(extra as X) });
const enumOf = <E extends string>(values: readonly E[]) => field('enum', {}, values);
const externalId = () => field('externalId', { key: 1 });

type Fields = Record<string, Omit<FieldDeclaration, 'column'>>;

/** The column of each field is the field's name. */
function entity<const T extends IspybTable, const F extends Fields>(
  table: T,
  fields: F,
): { table: T; fields: { [K in keyof F]: F[K] & { column: string } } } {
  const out = {} as { [K in keyof F]: F[K] & { column: string } };
  for (const name of Object.keys(fields) as (keyof F & string)[]) {
    out[name] = { column: name, ...fields[name]! };
  }
  return { table, fields: out };
}

export const SESSION_ROLES = [
  'Local Contact',
  'Local Contact 2',
  'Staff',
  'Team Leader',
  'Co-Investigator',
  'Principal Investigator',
  'Alternate Contact',
] as const;

/** Per payload entity kind: its table and its fields, in payload order. */
export const DECLARATION = {
  person: entity('Person', {
    login: text(45, { key: 2, nonEmpty: true }),
    externalId: externalId(),
    givenName: text(45),
    familyName: text(100),
    title: text(45),
    emailAddress: text(60),
    phoneNumber: text(45, { utf8mb3: true }),
    faxNumber: text(45),
    siteId: int(),
    personUUID: text(45),
  }),
  laboratory: entity('Laboratory', {
    name: text(45, { key: 2 }),
    address: text(255),
    city: text(45, { key: 2 }),
    // required by the spec (part of the legacy key), although the column is nullable
    country: text(45, { key: 2, required: true }),
    url: text(255),
    laboratoryExtPk: int({ key: 1 }),
  }),
  proposal: entity('Proposal', {
    proposalCode: latin1(45, { key: 2, required: true, nonEmpty: true }),
    // py-ISPyB scripts send it as a JSON number: accepted, stored as a string.
    proposalNumber: latin1(45, { key: 2, required: true, nonEmpty: true }),
    title: text(200),
    proposalType: latin1(2),
    state: enumOf(['Open', 'Closed', 'Cancelled']),
    externalId: externalId(),
  }),
  labContact: entity('LabContact', {
    cardName: latin1(40, { key: 1, required: true, nonEmpty: true, nullable: false }),
    defaultCourrierCompany: latin1(45),
    courierAccount: latin1(45),
    billingReference: latin1(45),
    dewarAvgCustomsValue: uint({ nullable: false }),
    dewarAvgTransportValue: uint({ nullable: false }),
  }),
  protein: entity('Protein', {
    acronym: text(45, { key: 2, required: true, nonEmpty: true }),
    externalId: externalId(),
    name: text(255),
    description: text(TEXT),
    sequence: text(TEXT),
    hazardGroup: tinyuint({ nullable: false }),
    containmentLevel: tinyuint({ nullable: false }),
    safetyLevel: enumOf(['GREEN', 'YELLOW', 'RED']),
    molecularMass: double(),
    proteinType: text(45),
    modId: text(20),
    isCreatedBySampleSheet: flag(),
    componentTypeId: uint(),
    concentrationTypeId: uint(),
  }),
  session: entity('BLSession', {
    externalId: externalId(),
    expSessionPk: uint({ key: 2 }),
    startDate: datetime(),
    endDate: datetime(),
    // NOT NULL: MariaDB would silently turn NULL into now().
    lastUpdate: datetime({ nullable: false, sqlType: 'timestamp' }),
    beamLineName: latin1(45),
    beamLineOperator: latin1(255),
    scheduled: flag(),
    nbShifts: uint(),
    visit_number: uint(),
    usedFlag: flag(),
    sessionTitle: latin1(255),
    projectCode: latin1(45),
    operatorSiteNumber: latin1(10),
    protectedData: latin1(1024),
    structureDeterminations: float(),
    dewarTransport: float(),
    databackupFrance: float(),
    databackupEurope: float(),
    nbReimbDewars: int(),
    comments: latin1(2000),
  }),
  sessionOptions: entity('Session_has_Person', {
    // the official values; live databases may have more (Diamond's 'Data Access'): typed as string
    role: enumOf<string>(SESSION_ROLES),
    remote: flag(),
  }),
} as const satisfies Record<string, EntityDeclaration>;

export type Declaration = typeof DECLARATION;
export type PayloadEntity = keyof Declaration;
export const PAYLOAD_ENTITIES = Object.keys(DECLARATION) as PayloadEntity[];

/** The fields of `entity`'s identity keys (rank 1 or 2, sync-spec §4), in payload order. */
export function keyFields<E extends PayloadEntity>(
  entity: E,
  rank?: 1 | 2,
): (keyof Declaration[E]['fields'] & string)[] {
  const fields = DECLARATION[entity].fields as Record<string, FieldDeclaration>;
  return Object.keys(fields).filter((name) =>
    rank === undefined ? fields[name]!.key !== undefined : fields[name]!.key === rank,
  ) as (keyof Declaration[E]['fields'] & string)[];
}
