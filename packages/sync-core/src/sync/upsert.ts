import type { EntityData } from '@mikro-orm/core';
import {
  DECLARATION,
  type Declaration,
  FIELD_COLUMNS,
  type FieldDeclaration,
  keyFields,
  type PayloadEntity,
  type TEntityResult,
} from '@upsync/schema';
import { type IspybEntityName, idColumnOf } from '../entities/build-entities.js';
import { encodeExternalId } from '../external-id.js';
import { idOf, type SyncContext } from './context.js';
import { create, ENTITY, type RowOf } from './kinds.js';
import { matchKeyOf } from './match-key.js';
import { type KeyedEntry, type Resolution, type RowKeys, resolveKeys } from './resolve-keys.js';

/** The kinds written by the key-driven upsert, with the payload entity that declares their fields and keys. */
const DECLARED = {
  laboratories: 'laboratory',
  persons: 'person',
  proposal: 'proposal',
  proteins: 'protein',
  sessions: 'session',
} as const satisfies Record<string, PayloadEntity>;

/** One payload entry of a kind: where it is, how warnings name it, its payload object. */
export interface UpsertEntry {
  path: string;
  label: string;
  /** The payload object: its declared fields that are present are written (null clears). */
  payload: object;
  /** Its key as the result reports it (read after the flush); default: the declared key fields it gives. */
  key?: () => TEntityResult['key'];
}

/** What a kind adds to the shared rule. */
export interface UpsertRules<K extends keyof typeof DECLARED, E extends UpsertEntry> {
  /** Payload fields the kind writes by rules of its own (never copied). */
  own?: readonly string[];
  /** A proposal's child: its legacy key matches only this proposal's rows (undefined: a new one). */
  child?: { proposalId: number | undefined };
  /** Set on the row after the copied fields, found (`found.row`) or created: relations, own rules. */
  set?: (entry: E, found: Resolution<RowOf<K>>) => EntityData<RowOf<K>>;
}

/**
 * The one write rule of every keyed kind (sync-spec §4): resolve each entry by the declaration's
 * keys (rank 1, then the rank-2 legacy key), assign its present fields to the row found (not its
 * legacy key when found by it: a key keeps its spelling) or create one, and track it for the result.
 * An entry without any key is not written (undefined): it could never be found again.
 */
export function upsert<K extends keyof typeof DECLARED, E extends UpsertEntry>(
  ctx: SyncContext,
  kind: K,
  entries: E[],
  rows: RowOf<K>[],
  rules: UpsertRules<K, E> = {},
): (RowOf<K> | undefined)[] {
  if (entries.length === 0) return [];
  const { first, legacy, declaredKeys, stored, copied, byLegacy, keys } = keyPlan(ctx, kind, rules.own ?? []);
  const rowKeys = rules.child ? { ...keys, child: { ...rules.child, proposalOf } } : keys;
  const keyed = entries.map(({ path, label, payload }): KeyedEntry => {
    const given = first === undefined ? undefined : column(payload, first);
    const legacyOf = legacyKey(legacy.map((f) => column(payload, f)));
    return { path, label, first: given == null ? undefined : stored(given), legacy: legacyOf };
  });
  const resolved = resolveKeys(keyed, rows, rowKeys, ctx.warn);
  return entries.map((entry, i) => {
    const found = resolved[i]!;
    if (keyed[i]!.first === undefined && keyed[i]!.legacy === undefined) return undefined;
    const data = present(entry.payload, found.by === 'legacy' ? byLegacy : copied);
    Object.assign(data, rules.set?.(entry, found));
    // the declared fields' names are the row type's columns (both come from the declaration)
    const row = found.row ? Object.assign(found.row, data) : create(ctx, kind, data as EntityData<RowOf<K>>);
    const id = () => idOf(column(row, keys.idColumn));
    const key = entry.key ?? (() => givenKey(declaredKeys, entry.payload));
    ctx.tracked.push({ kind, path: entry.path, entity: row, key, id });
    return row;
  });
}

/** What upsert needs of a kind that depends only on the declaration and the live columns: built once per orm. */
function keyPlan<K extends keyof typeof DECLARED>(ctx: SyncContext, kind: K, own: readonly string[]) {
  // a kind's module passes the same rules every time; keyed by them too, so that no other call can get its plan
  const key = `${kind}:${own.join()}`;
  const plan = (ctx.keyPlans.get(key) ?? buildKeyPlan(ctx, kind, own)) as ReturnType<typeof buildKeyPlan<K>>;
  ctx.keyPlans.set(key, plan);
  return plan;
}

function buildKeyPlan<K extends keyof typeof DECLARED>(ctx: SyncContext, kind: K, own: readonly string[]) {
  const table = ENTITY[kind];
  const has = (column: string) => (ctx.has as (t: IspybEntityName, c: string) => boolean)(table, column);
  const entity = DECLARED[kind];
  // the declared keys this database has columns for (no legacy key when one of its columns lacks)
  const first = keyFields(entity, 1).find(has);
  const legacy: string[] = keyFields(entity, 2).every(has) ? keyFields(entity, 2) : [];
  const fields: Record<string, FieldDeclaration> = DECLARATION[entity].fields;
  // an externalId is compared as its 16 bytes, laboratoryExtPk as a number
  const stored = (v: unknown) =>
    fields[first!]!.kind === 'externalId' ? encodeExternalId(v as string) : Number(v);
  const idColumn = idColumnOf(table)!;
  const keys: RowKeys<RowOf<K>> = {
    table,
    idColumn,
    id: (row) => Number(column(row, idColumn)),
    first: (row) => (first === undefined ? undefined : column(row, first)),
    legacy: (row) => legacyKey(legacy.map((f) => column(row, f))),
  };
  const copied = copiedFields(entity, own).filter(has);
  // found by its legacy key, a row keeps that key's spelling (collation match)
  const byLegacy = copied.filter((f) => !legacy.includes(f));
  return { first, legacy, declaredKeys: keyFields(entity), stored, copied, byLegacy, keys };
}

/**
 * The payload fields of `entity` that are copied onto their columns as given: every field the
 * schema maps to a column (FIELD_COLUMNS, the one list), except those a module writes by rules of
 * its own. A payload field's column has the field's name (the declaration builds them so).
 */
export function copiedFields<E extends PayloadEntity>(
  entity: E,
  ownRules: readonly string[],
): (keyof Declaration[E]['fields'] & string)[] {
  const fields = Object.keys(FIELD_COLUMNS[entity]) as (keyof Declaration[E]['fields'] & string)[];
  // a renamed field must not silently start being copied
  for (const field of ownRules)
    if (!(fields as string[]).includes(field)) throw new Error(`${entity}.${field} is not a payload field`);
  return fields.filter((field) => !ownRules.includes(field));
}

/** The present fields of `payload` among `fields` (undefined = absent, null clears), an externalId as its bytes. */
export function present(payload: object, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = column(payload, field);
    if (value !== undefined) out[field] = value;
  }
  if (typeof out.externalId === 'string') out.externalId = encodeExternalId(out.externalId);
  return out;
}

/** The declared key fields `payload` gives (not null), as given: an entry's key in the result. */
function givenKey(declaredKeys: readonly string[], payload: object): TEntityResult['key'] {
  const key: TEntityResult['key'] = {};
  for (const field of declaredKeys) {
    const value = column(payload, field);
    if (value != null) key[field] = value as TEntityResult['key'][string];
  }
  return key;
}

/** matchKey of a legacy key's values, undefined when none is given. */
function legacyKey(values: unknown[]): string | undefined {
  return values.length === 0 || values.every((v) => v == null) ? undefined : matchKeyOf(values);
}

/** A payload object's or a row's value by field name (= column: both come from the declaration). */
function column(source: object, name: string): unknown {
  return (source as Record<string, unknown>)[name];
}

/** The id of the proposal a child row (protein, session) belongs to. */
function proposalOf(row: object): number | undefined {
  return idOf((column(row, 'proposal') as RowOf<'proposal'> | undefined)?.proposalId) ?? undefined;
}
