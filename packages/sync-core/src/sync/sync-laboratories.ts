import type { TEntityResult } from '@upsync/schema';
import { q, type Row } from '../db/gateway.js';
import type { PersonGroup } from './collect-persons.js';
import { entityResult, outcomeOf, type SyncContext } from './context.js';
import { copiedFields } from './copied-fields.js';
import type { LabIn } from './input.js';
import { resolveKeys } from './key-precedence.js';
import { matchKeyOf } from './match-key.js';
import { changedColumns, pickPresent } from './patch.js';
import { stepFailure } from './run-step.js';

const TABLE = 'Laboratory';
const FIELDS = copiedFields('laboratory', []);
const NCC = ['name', 'city', 'country'] as const;

/** One laboratory identity of the payload: laboratoryExtPk, else (name, city, country). */
export interface LabPlan {
  path: string;
  fields: LabIn;
  extPk: number | undefined;
  ncc: string;
  id?: number;
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
    const ncc = matchKeyOf(NCC.map((c) => lab[c]));
    const key = extPk !== undefined ? `ext:${extPk}` : `ncc:${ncc}`;
    if (!labs.has(key)) labs.set(key, { path: `${group.path}.laboratory`, fields: lab, extPk, ncc });
    labOf.set(group, labs.get(key)!);
  }
  return { labs: [...labs.values()], labOf };
}

/**
 * Laboratories are matched by laboratoryExtPk, then (name, city, country). A row matched by
 * (name, city, country) keeps those three (they are its key); rows are never renamed to follow
 * one person: a person's changed laboratory resolves to another (or a new) row and is relinked.
 */
export async function syncLaboratories(
  ctx: SyncContext,
  labs: LabPlan[],
  rows: Row[],
): Promise<TEntityResult[]> {
  if (labs.length === 0) return [];
  const hasExtPk = ctx.db.has(TABLE, 'laboratoryExtPk');
  const entries = labs.map((lab) => ({
    path: lab.path,
    externalId: hasExtPk ? lab.extPk : undefined,
    legacy: lab.ncc,
    label: `laboratory ${lab.fields.name ?? ''}`,
  }));
  const resolved = resolveKeys(
    entries,
    rows,
    {
      table: TABLE,
      idColumn: 'laboratoryId',
      legacyOf: (row) => matchKeyOf(NCC.map((c) => row[c])),
      externalIdOf: (row) => row.laboratoryExtPk,
      sameExternalId: (row, entry) =>
        row.laboratoryExtPk != null && Number(row.laboratoryExtPk) === entry.externalId,
    },
    ctx.warn,
  );
  const results: TEntityResult[] = [];
  const toCreate: LabPlan[] = [];
  for (const [i, lab] of labs.entries()) {
    const { row, by } = resolved[i]!;
    if (!row) {
      toCreate.push(lab);
      continue;
    }
    lab.id = Number(row.laboratoryId);
    const wanted = pickPresent(lab.fields, ctx.db.present(TABLE, FIELDS));
    if (by === 'legacy') for (const c of NCC) delete wanted[c];
    const changed = changedColumns(row, wanted);
    ctx.db.updateLater(TABLE, { laboratoryId: lab.id }, changed, stepFailure('laboratories', lab.path));
    results.push(entityResult(lab.path, keyOf(lab), lab.id, { outcome: outcomeOf(changed), changed }));
  }
  const ids = ctx.db.insertNew(
    TABLE,
    'laboratoryId',
    toCreate.map((lab) => pickPresent(lab.fields, ctx.db.present(TABLE, FIELDS))),
    stepFailure('laboratories', 'proposal.persons'),
  );
  toCreate.forEach((lab, i) => {
    lab.id = ids[i]!;
    results.push(entityResult(lab.path, keyOf(lab), lab.id, { outcome: 'created' }));
  });
  return results;
}

/** The rows any of the payload's laboratories may resolve to. */
export async function findLaboratories(ctx: SyncContext, labs: LabPlan[]): Promise<Row[]> {
  if (labs.length === 0) return [];
  const hasExtPk = ctx.db.has(TABLE, 'laboratoryExtPk');
  const cols = ['laboratoryId', ...ctx.db.present(TABLE, FIELDS)].map(q).join(', ');
  const parts: string[] = [];
  const params: unknown[] = [];
  const extPks = hasExtPk ? labs.flatMap((l) => (l.extPk === undefined ? [] : [l.extPk])) : [];
  if (extPks.length > 0) {
    parts.push(
      `SELECT ${cols} FROM ${q(TABLE)} WHERE ${q('laboratoryExtPk')} IN (${extPks.map(() => '?').join(', ')})`,
    );
    params.push(...extPks);
  }
  const tuple = `(${NCC.map((c) => ctx.db.nullSafeEq(c)).join(' AND ')})`;
  parts.push(`SELECT ${cols} FROM ${q(TABLE)} WHERE ${labs.map(() => tuple).join(' OR ')}`);
  params.push(...labs.flatMap((l) => NCC.map((c) => l.fields[c] ?? null)));
  return ctx.db.selectUnion(parts, params, 'laboratoryId');
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
