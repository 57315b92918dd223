import * as z from 'zod';
import {
  DECLARATION,
  type FieldDeclaration,
  type FieldMode,
  type PayloadEntity,
  type ValueKind,
} from './declaration.js';
import { DEFAULT_COLUMN_LIMITS, type ResolvedLimits } from './default-limits.js';
import { datetime, enumOf, type FieldFactory, type FieldKind, flag, float, integer, text } from './fields.js';
import { INT_SIGNED, INT_UNSIGNED, TINYINT_UNSIGNED } from './numbers.js';

// The Zod shapes derived from the declaration: the payload's fields (validation, JSON Schema) and
// the read-back snapshot's fields (plain output shapes for OpenAPI).

type Numeric = 'int' | 'uint' | 'tinyuint' | 'float' | 'double';

/** What a portal may send for a non-null value of the kind. */
type KindIn<K extends ValueKind, E extends string> = K extends 'text'
  ? string | number
  : K extends Numeric
    ? number | string
    : K extends 'flag'
      ? boolean | 0 | 1 | '0' | '1'
      : K extends 'enum'
        ? E
        : K extends 'externalId'
          ? string | number
          : string;

/** The normalised value of the kind. */
type KindOut<K extends ValueKind, E extends string> = K extends Numeric
  ? number
  : K extends 'flag'
    ? 0 | 1
    : K extends 'enum'
      ? E
      : string;

type EnumOf<D> = D extends FieldDeclaration<ValueKind, infer E, FieldMode> ? E : string;

type PayloadField<D> = D extends FieldDeclaration ? PayloadFieldOf<D> : never;
type PayloadFieldOf<D extends FieldDeclaration> = D['mode'] extends 'required'
  ? z.ZodType<KindOut<D['kind'], EnumOf<D>>, KindIn<D['kind'], EnumOf<D>>>
  : D['mode'] extends 'externalId'
    ? z.ZodOptional<z.ZodType<string | undefined, string | number | null>>
    : D['mode'] extends 'optionalNotNull'
      ? z.ZodOptional<z.ZodType<KindOut<D['kind'], EnumOf<D>>, KindIn<D['kind'], EnumOf<D>>>>
      : z.ZodOptional<z.ZodType<KindOut<D['kind'], EnumOf<D>> | null, KindIn<D['kind'], EnumOf<D>> | null>>;

type Fields<E extends PayloadEntity> = (typeof DECLARATION)[E]['fields'];

export type PayloadShape<E extends PayloadEntity> = {
  -readonly [F in keyof Fields<E>]: PayloadField<Fields<E>[F]>;
};

function kindOf(f: FieldFactory, d: FieldDeclaration): FieldKind<unknown, unknown> {
  switch (d.kind) {
    case 'text':
      return text({ nonEmpty: d.nonEmpty }) as FieldKind<unknown, unknown>;
    case 'int':
      return integer(INT_SIGNED) as FieldKind<unknown, unknown>;
    case 'uint':
      return integer(INT_UNSIGNED) as FieldKind<unknown, unknown>;
    case 'tinyuint':
      return integer(TINYINT_UNSIGNED) as FieldKind<unknown, unknown>;
    case 'float':
    case 'double':
      return float() as FieldKind<unknown, unknown>;
    case 'flag':
      return flag() as FieldKind<unknown, unknown>;
    case 'datetime':
      return datetime(f.clock) as FieldKind<unknown, unknown>;
    case 'enum':
      return enumOf() as FieldKind<unknown, unknown>;
    case 'externalId':
      throw new Error('externalIds have a factory of their own');
  }
}

/** The payload schemas of an entity kind's declared fields, in declaration order. */
export function payloadShape<E extends PayloadEntity>(f: FieldFactory, entity: E): PayloadShape<E> {
  const { table, fields } = DECLARATION[entity];
  const out: Record<string, z.ZodType> = {};
  for (const [name, d] of Object.entries(fields) as [string, FieldDeclaration][]) {
    const where = { table, column: d.column };
    if (d.mode === 'externalId') out[name] = f.externalId(where);
    else if (d.mode === 'required') out[name] = f.req(kindOf(f, d), where);
    else if (d.mode === 'optionalNotNull') out[name] = f.optNotNull(kindOf(f, d), where);
    else out[name] = f.opt(kindOf(f, d), where);
  }
  return out as PayloadShape<E>;
}

/** `shape` with `parts` (nested objects of the payload) placed right after the field `after`. */
export function withPartsAfter<S extends Record<string, unknown>, P extends Record<string, unknown>>(
  shape: S,
  after: keyof S & string,
  parts: P,
): S & P {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(shape)) {
    out[key] = value;
    if (key === after) Object.assign(out, parts);
  }
  return out as S & P;
}

// Snapshot (read-back) shapes: plain, no transforms. A column this database lacks is absent, so
// every field is optional; a required identity key (code, number, card name, acronym) is a string.
const snapshotStr = () => z.string().nullable().optional();
const snapshotInt = () => z.number().int().nullable().optional();
const snapshotNum = () => z.number().nullable().optional();
const snapshotFlag = () =>
  z
    .union([z.literal(0), z.literal(1)])
    .nullable()
    .optional();

type SnapshotField<D> = D extends FieldDeclaration ? SnapshotFieldOf<D> : never;
type SnapshotFieldOf<D extends FieldDeclaration> = D['mode'] extends 'externalId'
  ? z.ZodOptional<z.ZodString>
  : D extends { mode: 'required'; nonEmpty: true }
    ? z.ZodString
    : D['kind'] extends 'int' | 'uint' | 'tinyuint' | 'float' | 'double'
      ? z.ZodOptional<z.ZodNullable<z.ZodNumber>>
      : D['kind'] extends 'flag'
        ? ReturnType<typeof snapshotFlag>
        : z.ZodOptional<z.ZodNullable<z.ZodString>>;

export type SnapshotShape<E extends PayloadEntity> = {
  -readonly [F in keyof Fields<E>]: SnapshotField<Fields<E>[F]>;
};

/** How the read-back converts a stored value of the field (sync-core's snapshot values). */
export type SnapshotValueKind = 'text' | 'number' | 'flag' | 'datetime' | 'externalId';

export function snapshotValueKind(kind: ValueKind): SnapshotValueKind {
  if (kind === 'flag' || kind === 'datetime' || kind === 'externalId') return kind;
  if (kind === 'text' || kind === 'enum') return 'text';
  return 'number';
}

function snapshotField(d: FieldDeclaration): z.ZodType {
  if (d.mode === 'externalId') return z.string().optional();
  if (d.mode === 'required' && d.nonEmpty) return z.string();
  if (d.kind === 'int' || d.kind === 'uint' || d.kind === 'tinyuint') return snapshotInt();
  if (d.kind === 'float' || d.kind === 'double') return snapshotNum();
  if (d.kind === 'flag') return snapshotFlag();
  return snapshotStr();
}

/**
 * The snapshot schemas of an entity kind's declared fields, in declaration order. A field whose
 * column `limits` mark missing (`present: false`, as the payload's schema reads them) is left out:
 * the read-back never has it, whatever UPSYNC_MISSING_COLUMNS says.
 */
export function snapshotShape<E extends PayloadEntity>(
  entity: E,
  limits: ResolvedLimits = DEFAULT_COLUMN_LIMITS,
): SnapshotShape<E> {
  const { table, fields } = DECLARATION[entity];
  const out: Record<string, z.ZodType> = {};
  for (const [name, d] of Object.entries(fields) as [string, FieldDeclaration][]) {
    if (limits[table][d.column]?.present !== false) out[name] = snapshotField(d);
  }
  return out as SnapshotShape<E>;
}
