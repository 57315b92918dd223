import * as z from 'zod';
import type { ColumnFacts } from './column-limits.js';
import { DATETIME_PATTERN, facilityClock, facilityDatetimeConverter } from './datetime.js';
import type { ResolvedLimits } from './default-limits.js';
import { EXTERNAL_ID_PATTERN, toExternalId } from './external-id.js';
import type { FieldColumn } from './field-columns.js';
import { type Checked, fail, type TIssueCode } from './issue-codes.js';
import { ABSENT_MARK, IGNORED_MARK, type MissingColumns, skippedValue } from './missing-columns.js';
import { type IntRange, toFlag, toFloat, toInteger } from './numbers.js';
import { toColumnText } from './text.js';

type JsonFragment = Record<string, unknown>;

/** How one kind of field converts a non-null value, and how it looks in JSON Schema. */
export interface FieldKind<In, Out> {
  convert: (value: unknown, facts: ColumnFacts, column: FieldColumn) => Checked<Out>;
  json: (facts: ColumnFacts) => JsonFragment;
  /** `null` yields an absent field instead of `null` (externalIds: an identity key is never cleared). */
  nullAsAbsent?: boolean;
  /** Phantom: the accepted input type, for z.input. */
  readonly _in?: In;
}

/** What schema factories need: the resolved column facts and the facility clock. */
export interface FieldContext {
  limits: ResolvedLimits;
  clock: Intl.DateTimeFormat;
  /** A field whose column the database lacks: refused, or skipped (see missing-columns.ts). */
  missingColumns: MissingColumns;
}

/** Builds the context of a schema from options; throws RangeError for an unknown time zone. */
export function createFieldContext(
  limits: ResolvedLimits,
  timeZone = 'UTC',
  missingColumns: MissingColumns = 'refuse',
): FieldContext {
  return { limits, clock: facilityClock(timeZone), missingColumns };
}

type Mode = 'required' | 'optional' | 'optionalNotNull';

/** Adds a custom issue carrying one of our stable codes. */
export function report(
  ctx: { addIssue: (issue: z.core.$ZodRawIssue) => void },
  code: TIssueCode,
  message: string,
) {
  ctx.addIssue({ code: 'custom', message, params: { code }, input: undefined });
  return z.NEVER;
}

/** `report` for a check's payload: the same issue, as `addIssue` would have recorded it. */
export function raise(payload: z.core.ParsePayload, code: TIssueCode, message: string): never {
  payload.issues.push({ code: 'custom', message, params: { code }, input: undefined });
  return z.NEVER;
}

/**
 * A schema that converts any value with `convert` (which raises its own issues). Fields are most of
 * the nodes of a payload, and `z.custom().transform()` runs each one through a pipe, a refinement
 * and a transform; a custom schema whose own check rewrites the value (as `z.instanceof` replaces
 * the check of its custom schema) does the same work in one step. On an issue the value is
 * `z.NEVER`, as a transform's would be: refinements such as `atLeastOne` read it.
 */
export function converting<In, Out>(
  convert: (value: unknown, payload: z.core.ParsePayload) => Out,
): z.ZodType<Out, In> {
  const schema = z.custom<In>();
  schema._zod.check = (payload: z.core.ParsePayload) => {
    payload.value = convert(payload.value, payload);
  };
  return schema as unknown as z.ZodType<Out, In>;
}

function withNull(fragment: JsonFragment): JsonFragment {
  if (Array.isArray(fragment.anyOf)) return { ...fragment, anyOf: [...fragment.anyOf, { type: 'null' }] };
  const out = { ...fragment };
  if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') out.type = [out.type, 'null'];
  else if (Array.isArray(out.type)) out.type = [...out.type, 'null'];
  return out.type || out.enum ? out : { anyOf: [fragment, { type: 'null' }] };
}

function columnSchema<In, Out>(
  context: FieldContext,
  kind: FieldKind<In, Out>,
  column: FieldColumn,
  mode: Mode,
) {
  const facts = context.limits[column.table][column.column] ?? {};
  const where = `${column.table}.${column.column}`;
  const allowNull = mode === 'optional' && facts.nullable !== false;
  const skip = context.missingColumns === 'skip';
  const schema = converting<In, Out>((value, payload): Out => {
    if (facts.present === false) {
      // skip: any value is accepted and marked; the parser drops it with a MISSING_COLUMN warning
      if (skip) return (value === undefined ? undefined : skippedValue(where)) as Out;
      return raise(payload, 'missing_column', `the column ${where} does not exist in this ISPyB database`);
    }
    if (value === undefined) return raise(payload, 'required', 'this field is required');
    if (value === null) {
      if (allowNull) return (kind.nullAsAbsent ? undefined : null) as Out;
      if (mode === 'required') return raise(payload, 'required', 'this field is required and cannot be null');
      return raise(payload, 'invalid_type', `null cannot be stored: the column ${where} is NOT NULL`);
    }
    const result = kind.convert(value, facts, column);
    return result.ok ? result.value : raise(payload, result.code, result.message);
  });
  // The field's JSON Schema describes what portals may send (the custom input says nothing).
  schema._zod.toJSONSchema = () => {
    // refuse: the field is removed from its object's properties (json-schema.ts); skip: accepted, ignored
    if (facts.present === false && skip)
      return {
        [IGNORED_MARK]: true,
        deprecated: true,
        description: `${where} does not exist in this database: accepted and ignored (not written)`,
      };
    if (facts.present === false)
      return { not: {}, [ABSENT_MARK]: true, description: `${where} does not exist in this database` };
    const fragment = { ...kind.json(facts), description: where };
    return allowNull ? withNull(fragment) : fragment;
  };
  return schema;
}

/** Factories of field schemas bound to one set of column facts and one facility time zone. */
export function createFieldFactory(context: FieldContext) {
  return {
    /** A field that must be present and non-null. */
    req: <In, Out>(kind: FieldKind<In, Out>, column: FieldColumn) =>
      columnSchema(context, kind, column, 'required') as z.ZodType<Out, In>,
    /** An optional field; `null` clears a nullable column. */
    opt: <In, Out>(kind: FieldKind<In, Out>, column: FieldColumn) =>
      (columnSchema(context, kind, column, 'optional') as z.ZodType<Out | null, In | null>).optional(),
    /** An optional field of a NOT NULL column: `null` is refused. */
    optNotNull: <In, Out>(kind: FieldKind<In, Out>, column: FieldColumn) =>
      (columnSchema(context, kind, column, 'optionalNotNull') as z.ZodType<Out, In>).optional(),
    /** An externalId: canonical string; `null` means "not given" (an identity key is never cleared). */
    externalId: (column: FieldColumn) =>
      (
        columnSchema(context, externalIdKind, column, 'optional') as z.ZodType<
          string | undefined,
          string | number | null
        >
      ).optional(),
    clock: context.clock,
  };
}
export type FieldFactory = ReturnType<typeof createFieldFactory>;

/** Text for a varchar/text column: length and charset checked; numbers accepted as py-ISPyB did. */
export const text = (options: { nonEmpty?: boolean } = {}): FieldKind<string | number, string> => ({
  convert: (value, facts, column) => {
    const result = toColumnText(value, facts, column);
    if (result.ok && options.nonEmpty && result.value.trim() === '') {
      return fail('required', 'must not be empty: it is part of an identity key');
    }
    return result;
  },
  json: (facts) => ({
    type: ['string', 'number'],
    ...(facts.maxLength !== undefined ? { maxLength: facts.maxLength } : {}),
    ...(options.nonEmpty ? { minLength: 1 } : {}),
  }),
});

/** Integer column of the given SQL range; numeric strings such as "42" accepted. */
export const integer = (range: IntRange): FieldKind<number | string, number> => ({
  convert: (value) => toInteger(value, range),
  json: () => ({
    type: ['integer', 'string'],
    minimum: range.min,
    maximum: range.max,
    pattern: range.min < 0 ? '^[+-]?[0-9]+$' : '^[+]?[0-9]+$',
  }),
});

/** float/double column; numeric strings accepted. */
export const float = (): FieldKind<number | string, number> => ({
  convert: (value) => toFloat(value),
  json: () => ({
    type: ['number', 'string'],
    pattern: '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$',
  }),
});

/** tinyint(1) flag: booleans, 0/1 and "0"/"1" become 0 | 1. */
export const flag = (): FieldKind<boolean | 0 | 1 | '0' | '1', 0 | 1> => ({
  convert: (value) => toFlag(value),
  json: () => ({ enum: [0, 1, true, false, '0', '1'] }),
});

/** Enum column; the allowed values come from the column facts (live databases differ). */
export const enumOf = <T extends string>(): FieldKind<T, T> => ({
  convert: (value, facts) => {
    const values = facts.enumValues ?? [];
    if (typeof value === 'string' && values.includes(value)) return { ok: true, value: value as T };
    const near =
      typeof value === 'string'
        ? values.find((v) => v.toLowerCase() === value.trim().toLowerCase())
        : undefined;
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : String(value);
    return fail(
      'invalid_enum',
      `${shown} is not one of ${values.map((v) => `"${v}"`).join(', ')}${near ? ` — did you mean "${near}"?` : ''}`,
    );
  },
  json: (facts) => ({ type: 'string', enum: [...(facts.enumValues ?? [])] }),
});

/** ISO 8601 datetime, stored as facility local time. */
export const datetime = (clock: Intl.DateTimeFormat): FieldKind<string, string> => ({
  convert: facilityDatetimeConverter(clock),
  json: () => ({ type: 'string', pattern: DATETIME_PATTERN }),
});

const externalIdKind: FieldKind<string | number, string> = {
  nullAsAbsent: true,
  convert: (value) => toExternalId(value),
  json: () => ({
    anyOf: [
      { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
      { type: 'string', pattern: EXTERNAL_ID_PATTERN },
    ],
  }),
};
