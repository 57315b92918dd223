import type { TEntityResult, TLaboratory } from '@upsync/schema';
import { assignPresent, idOf, type Managed, pickPresent, type SyncContext, track } from './context.js';
import { copiedFields } from './copied-fields.js';
import { create } from './entities.js';
import { resolveKeys } from './key-precedence.js';
import { equalOrNull, type LookUp, lookUpIn } from './look-ups.js';
import { matchKeyOf } from './match-key.js';
import type { PersonGroup } from './person-groups.js';

const TABLE = 'Laboratory';
const FIELDS = copiedFields('laboratory', []);
const NCC = ['name', 'city', 'country'] as const;

/** One laboratory identity of the payload: laboratoryExtPk, else (name, city, country). */
export interface LabPlan {
  path: string;
  fields: TLaboratory;
  extPk: number | undefined;
  ncc: string;
  /** The managed Laboratory it resolved to (found or created). */
  entity?: Managed;
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
export function syncLaboratories(ctx: SyncContext, labs: LabPlan[], rows: Managed[]): void {
  if (labs.length === 0) return;
  const hasExtPk = ctx.has(TABLE, 'laboratoryExtPk');
  const fields = FIELDS.filter((f) => ctx.has(TABLE, f));
  const resolved = resolveKeys(
    labs.map((lab) => ({
      path: lab.path,
      externalId: hasExtPk ? lab.extPk : undefined,
      legacy: lab.ncc,
      label: `laboratory ${lab.fields.name ?? ''}`,
    })),
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
  for (const [i, lab] of labs.entries()) {
    const { row, by } = resolved[i]!;
    if (row) {
      // found by (name, city, country): those are its key and keep their spelling
      assignPresent(row, lab.fields, by === 'legacy' ? fields.filter((f) => !isNcc(f)) : fields);
      lab.entity = row;
    } else lab.entity = create(ctx, 'laboratories', pickPresent(lab.fields, fields));
    const entity = lab.entity;
    track(ctx, {
      kind: 'laboratories',
      path: lab.path,
      entity,
      key: () => keyOf(lab),
      id: () => idOf(entity, 'laboratoryId'),
    });
  }
}

function isNcc(field: string): boolean {
  return (NCC as readonly string[]).includes(field);
}

/** The rows any of the payload's laboratories may resolve to: by laboratoryExtPk, or by (name, city, country) where null matches NULL. */
export function laboratoriesLookUp(ctx: SyncContext, labs: LabPlan[]): LookUp {
  const hasExtPk = ctx.has(TABLE, 'laboratoryExtPk');
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

function keyOf(lab: LabPlan): TEntityResult['key'] {
  const key: TEntityResult['key'] = {
    name: lab.fields.name ?? null,
    city: lab.fields.city ?? null,
    country: lab.fields.country ?? null,
  };
  if (lab.extPk !== undefined) key.laboratoryExtPk = lab.extPk;
  return key;
}
