import { DECLARATION, type PayloadEntity } from './declaration.js';
import type { TValidationIssue } from './errors.js';
import { type ChangedRow, fieldChanges, shownValue, type TFieldChange } from './field-changes.js';
import { loginKey } from './merge-persons.js';
import { parseSyncProposal } from './parse-sync-proposal.js';
import type { ParseOptions } from './sync-proposal.js';
import type { TEntityKind } from './sync-result.js';

type Obj = Record<string, unknown>;

/** One row of a payload as a diff compares it: its identities (best first), key and field values. */
interface PayloadRow {
  kind: TEntityKind;
  path: string;
  identities: string[];
  key: Obj;
  values: Obj;
}

const lower = (v: unknown) => String(v).toLowerCase();

/** The declared fields of an entity that the object carries (`null` included: it clears). */
function declared(entity: PayloadEntity, object: Obj, extra: readonly string[] = []): Obj {
  const values: Obj = {};
  for (const field of [...Object.keys(DECLARATION[entity].fields), ...extra]) {
    if (field in object && object[field] !== undefined) values[field] = object[field];
  }
  return values;
}

/** A person's identities as sync-spec §4 tries them: externalId, then login (case-insensitive). */
function personIdentities(person: Obj): string[] {
  return [
    ...(person.externalId != null ? [`x:${person.externalId}`] : []),
    ...(typeof person.login === 'string' ? [`l:${loginKey(person.login)}`] : []),
  ];
}

const personKey = (person: Obj): Obj =>
  declared('person', { login: person.login, externalId: person.externalId });

/** Every row of a normalised payload, in payload order, per entity kind. */
function rowsOf(data: Obj): PayloadRow[] {
  const rows: PayloadRow[] = [];
  const proposal = (data.proposal ?? {}) as Obj;
  rows.push({
    kind: 'proposal',
    path: 'proposal',
    identities: ['proposal'],
    key: { proposalCode: proposal.proposalCode, proposalNumber: proposal.proposalNumber },
    values: declared('proposal', proposal),
  });
  const seenPersons = new Set<string>();
  const seenLabs = new Set<string>();
  const person = (p: Obj, path: string) => {
    const ids = personIdentities(p);
    if (ids.length === 0 || ids.some((id) => seenPersons.has(id))) return;
    for (const id of ids) seenPersons.add(id);
    rows.push({
      kind: 'persons',
      path,
      identities: ids,
      key: personKey(p),
      values: declared('person', p, ['laboratory']),
    });
    const lab = p.laboratory as Obj | null | undefined;
    if (!lab) return;
    const labIds = [
      ...(lab.laboratoryExtPk != null ? [`e:${lab.laboratoryExtPk}`] : []),
      `n:${lower(lab.name)}|${lower(lab.city)}|${lower(lab.country)}`,
    ];
    if (labIds.some((id) => seenLabs.has(id))) return;
    for (const id of labIds) seenLabs.add(id);
    rows.push({
      kind: 'laboratories',
      path: `${path}.laboratory`,
      identities: labIds,
      key: declared('laboratory', {
        name: lab.name,
        city: lab.city,
        country: lab.country,
        laboratoryExtPk: lab.laboratoryExtPk,
      }),
      values: declared('laboratory', lab),
    });
  };
  const persons = (proposal.persons ?? []) as Obj[];
  persons.forEach((p, i) => {
    person(p, `proposal.persons[${i}]`);
    rows.push({
      kind: 'proposalParticipants',
      path: `proposal.persons[${i}]`,
      identities: personIdentities(p),
      key: { person: shownValue('person', p) },
      values: {},
    });
  });
  ((proposal.labcontacts ?? []) as Obj[]).forEach((c, i) => {
    const p = (c.person ?? {}) as Obj;
    person(p, `proposal.labcontacts[${i}].person`);
    rows.push({
      kind: 'labContacts',
      path: `proposal.labcontacts[${i}]`,
      identities: [`c:${lower(c.cardName)}`],
      key: { cardName: c.cardName },
      values: { ...declared('labContact', c), person: p },
    });
  });
  ((data.proteins ?? []) as Obj[]).forEach((protein, i) => {
    const p = protein.person as Obj | null | undefined;
    if (p) person(p, `proteins[${i}].person`);
    rows.push({
      kind: 'proteins',
      path: `proteins[${i}]`,
      identities: [
        ...(protein.externalId != null ? [`x:${protein.externalId}`] : []),
        `a:${lower(protein.acronym)}`,
      ],
      key: declared('protein', { acronym: protein.acronym, externalId: protein.externalId }),
      values: { ...declared('protein', protein), ...(p !== undefined && { person: p }) },
    });
  });
  ((data.sessions ?? []) as Obj[]).forEach((session, i) => {
    const sessionIds = [
      ...(session.externalId != null ? [`x:${session.externalId}`] : []),
      ...(session.expSessionPk != null ? [`p:${session.expSessionPk}`] : []),
    ];
    rows.push({
      kind: 'sessions',
      path: `sessions[${i}]`,
      identities: sessionIds,
      key: declared('session', { externalId: session.externalId, expSessionPk: session.expSessionPk }),
      values: declared('session', session),
    });
    ((session.persons ?? []) as Obj[]).forEach((p, j) => {
      person(p, `sessions[${i}].persons[${j}]`);
      rows.push({
        kind: 'sessionParticipants',
        path: `sessions[${i}].persons[${j}]`,
        identities: sessionIds.flatMap((s) => personIdentities(p).map((id) => `${s}/${id}`)),
        key: { session: session.externalId ?? session.expSessionPk, person: shownValue('person', p) },
        values: declared('sessionOptions', (p.session_options ?? {}) as Obj),
      });
    });
  });
  return rows;
}

const same = (field: string, a: unknown, b: unknown) =>
  JSON.stringify(shownValue(field, a) ?? null) === JSON.stringify(shownValue(field, b) ?? null);

/**
 * Field-level differences between two payloads of one proposal, as `upsync diff` shows them:
 * what syncing `to` where `from` had been synced would change. Rows are matched per entity kind by
 * their identities (sync-spec §4: externalId first, then the legacy keys); a field `to` does not
 * carry is no change (patch semantics); a row only in `to` is created, a row only in `from`
 * deleted (for sessions, proteins and persons: no longer sent). Both payloads are normalised
 * first (parseSyncProposal, unknown keys stripped), so `157` and `"157"` are the same externalId.
 */
export function diffPayloads(
  from: unknown,
  to: unknown,
  options: Pick<ParseOptions, 'timeZone' | 'limits'> = {},
):
  | { success: true; changes: TFieldChange[] }
  | { success: false; side: 'from' | 'to'; errors: TValidationIssue[] } {
  const parse = (payload: unknown) => parseSyncProposal(payload, { ...options, unknownKeys: 'strip' });
  const before = parse(from);
  if (!before.success) return { success: false, side: 'from', errors: before.errors };
  const after = parse(to);
  if (!after.success) return { success: false, side: 'to', errors: after.errors };
  const old = rowsOf(before.data as unknown as Obj);
  const matched = new Set<PayloadRow>();
  const pairs = new Map<ChangedRow, { current: Obj; wanted: Obj }>();
  const rows: ChangedRow[] = [];
  for (const row of rowsOf(after.data as unknown as Obj)) {
    const twin = row.identities
      .map((id) => old.find((o) => o.kind === row.kind && !matched.has(o) && o.identities.includes(id)))
      .find((o) => o !== undefined);
    const base = { kind: row.kind, path: row.path, id: null, key: row.key };
    if (!twin) {
      rows.push({ ...base, outcome: 'created' });
      continue;
    }
    matched.add(twin);
    const changedFields = Object.keys(row.values).filter((f) => !same(f, twin.values[f], row.values[f]));
    const changed: ChangedRow = {
      ...base,
      outcome: changedFields.length > 0 ? 'updated' : 'unchanged',
      changedFields,
    };
    pairs.set(changed, { current: twin.values, wanted: row.values });
    rows.push(changed);
  }
  for (const row of old) {
    if (!matched.has(row))
      rows.push({ kind: row.kind, path: row.path, id: null, key: row.key, outcome: 'deleted' });
  }
  return {
    success: true,
    changes: fieldChanges(rows, {
      current: (row) => pairs.get(row)?.current,
      wanted: (row) => pairs.get(row)?.wanted,
    }),
  };
}
