import type { TEntityResult, TLaboratory } from '@upsync/schema';
import type { ExpressionBuilder } from 'kysely';
import type { IspybDb } from '../entities/ispyb-rows.js';
import type { SyncContext } from './context.js';
import type { RowOf } from './kinds.js';
import { type LookUp, lookUpIn } from './look-ups.js';
import { matchKeyOf } from './match-key.js';
import type { PersonGroup } from './person-groups.js';
import { upsert } from './upsert.js';

/** One laboratory identity of the payload: laboratoryExtPk, else (name, city, country). */
export interface LabPlan {
  path: string;
  fields: TLaboratory;
  extPk: number | undefined;
  ncc: string;
  /** The managed Laboratory it resolved to (found or created). */
  entity?: RowOf<'laboratories'>;
}

/** Deduplicates the persons' laboratories; returns the plans and each person's plan (null = unlink). */
export function collectLabs(groups: PersonGroup[]): {
  labs: LabPlan[];
  labOf: Map<PersonGroup, LabPlan | null>;
} {
  const labs = new Map<string, LabPlan>();
  const labOf = new Map<PersonGroup, LabPlan | null>();
  for (const group of groups) {
    const lab = group.fields.laboratory;
    if (lab === undefined) continue;
    if (lab === null) {
      labOf.set(group, null);
      continue;
    }
    const extPk = lab.laboratoryExtPk ?? undefined;
    const ncc = matchKeyOf([lab.name, lab.city, lab.country]);
    const key = extPk !== undefined ? `ext:${extPk}` : `ncc:${ncc}`;
    if (!labs.has(key)) labs.set(key, { path: `${group.path}.laboratory`, fields: lab, extPk, ncc });
    labOf.set(group, labs.get(key)!);
  }
  return { labs: [...labs.values()], labOf };
}

/**
 * Laboratories are upserted by the declared keys: laboratoryExtPk, then (name, city, country). A
 * row found by (name, city, country) keeps those three (they are its key); rows are never renamed
 * to follow one person: a person's changed laboratory resolves to another (or a new) row and is
 * relinked.
 */
export function syncLaboratories(ctx: SyncContext, labs: LabPlan[], rows: RowOf<'laboratories'>[]): void {
  const entries = labs.map((lab) => ({
    path: lab.path,
    label: `laboratory ${lab.fields.name ?? ''}`,
    payload: lab.fields,
    key: () => keyOf(lab),
  }));
  const entities = upsert(ctx, 'laboratories', entries, rows);
  labs.forEach((lab, i) => {
    lab.entity = entities[i];
  });
}

/** The rows any of the payload's laboratories may resolve to: by laboratoryExtPk, or by (name, city, country) where null matches NULL. */
export function laboratoriesLookUp(ctx: SyncContext, labs: LabPlan[]): LookUp<'laboratories'> {
  const hasExtPk = ctx.has('Laboratory', 'laboratoryExtPk');
  return lookUpIn(ctx, 'laboratories', labs, (chunk) => (eb) => {
    const extPks = hasExtPk ? chunk.flatMap((l) => (l.extPk === undefined ? [] : [l.extPk])) : [];
    const branches = chunk.map((l) =>
      eb.and([
        equalOrNull(eb, 'name', l.fields.name ?? null),
        equalOrNull(eb, 'city', l.fields.city ?? null),
        equalOrNull(eb, 'country', l.fields.country ?? null),
      ]),
    );
    if (extPks.length > 0) branches.unshift(eb('laboratoryExtPk', 'in', extPks));
    return eb.or(branches);
  });
}

/** `column = value`, or `column IS NULL` for null (ISPyB's laboratory keys may be NULL). */
function equalOrNull(
  eb: ExpressionBuilder<IspybDb, 'Laboratory'>,
  column: 'name' | 'city' | 'country',
  value: string | null,
) {
  return value === null ? eb(column, 'is', null) : eb(column, '=', value);
}

function keyOf(lab: LabPlan): TEntityResult['key'] {
  const key: TEntityResult['key'] = {
    name: lab.fields.name ?? null,
    city: lab.fields.city ?? null,
    country: lab.fields.country ?? null,
  };
  if (lab.extPk !== undefined) key.laboratoryExtPk = lab.extPk;
  return key;
}
