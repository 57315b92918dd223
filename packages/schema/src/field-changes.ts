import * as z from 'zod';
import { type TEntityKind, ZEntityKind } from './sync-result.js';

/**
 * One line of a diff (`upsync diff`, `syncRunDiff`): a row created or deleted, or one field of an
 * updated row. `current` is the old side (what ISPyB holds now / the `from` run's payload),
 * `wanted` the new side (the payload / the `to` run's payload).
 */
export const ZFieldChange = z.object({
  kind: ZEntityKind,
  /** Payload path of the entry (`proposal.persons[1]`); '' for rows the payload does not list. */
  path: z.string(),
  /** ISPyB id (provisional for created rows of a dry run); null when diffing two payloads. */
  id: z.number().int().nullable(),
  outcome: z.enum(['created', 'updated', 'deleted']),
  /** The payload field, on `updated`. */
  field: z.string().optional(),
  current: z.unknown().optional(),
  wanted: z.unknown().optional(),
});
export type TFieldChange = z.infer<typeof ZFieldChange>;

/** syncRunDiff's input: two run ids of the same proposal (`from` the older side, `to` the newer). */
export const ZSyncRunDiffQuery = z.object({
  from: z.coerce.number<number | string>().int().positive(),
  to: z.coerce.number<number | string>().int().positive(),
});
export type TSyncRunDiffQueryInput = z.input<typeof ZSyncRunDiffQuery>;

const ZRunRef = z.object({ id: z.number().int(), startedAt: z.string(), payloadSha256: z.string() });

/** Field-level differences between the stored payloads of two runs of one proposal. */
export const ZSyncRunDiff = z.object({
  proposalCode: z.string(),
  proposalNumber: z.string(),
  from: ZRunRef,
  to: ZRunRef,
  /** What syncing `to`'s payload over `from`'s would change (patch semantics: a field `to` omits is no change). */
  changes: z.array(ZFieldChange),
});
export type TSyncRunDiff = z.infer<typeof ZSyncRunDiff>;

type Obj = Record<string, unknown>;

/** A row a diff reports: a dry run's entity result, or a row of two compared payloads. */
export interface ChangedRow {
  kind: TEntityKind;
  path: string;
  id: number | null;
  /** The row's key fields as given (shown for created and deleted rows). */
  key: Record<string, unknown>;
  outcome: 'created' | 'updated' | 'unchanged' | 'deleted';
  /** On `updated`: the payload fields written. */
  changedFields?: readonly string[] | undefined;
}

/** Where a diff reads an updated row's old and new field values. */
export interface RowValues {
  current(row: ChangedRow): Obj | undefined;
  wanted(row: ChangedRow): Obj | undefined;
}

/** A person or laboratory value shown by its key, not as a whole object. */
export function shownValue(field: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const v = value as Obj;
  if (field === 'laboratory') return [v.name, v.city, v.country].filter((x) => x != null).join(', ');
  if (field === 'person') return v.login ?? v.externalId ?? v.personId;
  return value;
}

/**
 * THE diff lines (`upsync diff`, syncRunDiff): a created row shows the key it is created with, a
 * deleted one the key it had, an updated one a line per changed field with its old and new value.
 */
export function fieldChanges(rows: Iterable<ChangedRow>, values: RowValues): TFieldChange[] {
  const changes: TFieldChange[] = [];
  for (const row of rows) {
    const base = { kind: row.kind, path: row.path, id: row.id };
    if (row.outcome === 'created') changes.push({ ...base, outcome: 'created', wanted: row.key });
    else if (row.outcome === 'deleted') changes.push({ ...base, outcome: 'deleted', current: row.key });
    else if (row.outcome === 'updated') {
      const current = values.current(row);
      const wanted = values.wanted(row);
      for (const field of row.changedFields ?? []) {
        changes.push({
          ...base,
          outcome: 'updated',
          field,
          current: shownValue(field, current?.[field]),
          wanted: shownValue(field, wanted?.[field]),
        });
      }
    }
  }
  return changes;
}
