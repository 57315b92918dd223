import type { TEntityKind, TProposalSnapshot, TSyncResult } from '@upsync/schema';

/** One line of `upsync diff`: a row created or deleted, or one field of an updated row. */
export interface FieldChange {
  kind: TEntityKind;
  /** Payload path of the entry (`proposal.persons[1]`); '' for rows the payload does not list. */
  path: string;
  /** ISPyB id (provisional for created rows: the dry run was rolled back). */
  id: number | null;
  outcome: 'created' | 'updated' | 'deleted';
  field?: string;
  /** What ISPyB holds now (read-back). */
  current?: unknown;
  /** What the payload sends (as written in the file). */
  wanted?: unknown;
}

type Obj = Record<string, unknown>;

/** The value at a payload path such as `sessions[1].persons[0]`. */
export function atPath(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Obj)[part];
  }
  return value;
}

/** Every row of the snapshot by kind and ISPyB id, to look up "what ISPyB holds now". */
function indexSnapshot(snapshot: TProposalSnapshot | null) {
  const rows = new Map<string, Obj>();
  if (!snapshot) return rows;
  const put = (kind: TEntityKind, id: number, row: object) => rows.set(`${kind}:${id}`, row as Obj);
  const { proposal } = snapshot;
  put('proposal', proposal.proposalId, proposal);
  const people = [
    ...proposal.persons,
    ...proposal.labcontacts.map((c) => c.person),
    ...snapshot.proteins.flatMap((p) => (p.person ? [p.person] : [])),
    ...snapshot.sessions.flatMap((s) => s.persons),
  ];
  for (const person of people) {
    put('persons', person.personId, person);
    if (person.laboratory) put('laboratories', person.laboratory.laboratoryId, person.laboratory);
  }
  for (const card of proposal.labcontacts) put('labContacts', card.labContactId, card);
  for (const protein of snapshot.proteins) put('proteins', protein.proteinId, protein);
  for (const session of snapshot.sessions) {
    put('sessions', session.sessionId, session);
    for (const person of session.persons)
      rows.set(`sessionParticipants:${session.sessionId}:${person.personId}`, person.session_options);
  }
  return rows;
}

/** A person or laboratory value shown by its key, not as a whole object. */
function shown(field: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const v = value as Obj;
  if (field === 'laboratory') return [v.name, v.city, v.country].filter((x) => x != null).join(', ');
  if (field === 'person') return v.login ?? v.externalId ?? v.personId;
  return value;
}

/** Field-by-field changes of a dry run, old values from the read-back, new ones from the payload. */
export function diffChanges(
  result: TSyncResult,
  snapshot: TProposalSnapshot | null,
  payload: unknown,
): FieldChange[] {
  const rows = indexSnapshot(snapshot);
  const changes: FieldChange[] = [];
  for (const [kind, entries] of Object.entries(result.entities) as [
    TEntityKind,
    TSyncResult['entities'][TEntityKind],
  ][]) {
    for (const entry of entries) {
      const base = { kind, path: entry.path, id: entry.id };
      // a new row shows the key it is created with; a removed one the key it had
      if (entry.outcome === 'created') {
        changes.push({ ...base, outcome: 'created', wanted: entry.key });
        continue;
      }
      if (entry.outcome === 'deleted') {
        changes.push({ ...base, outcome: 'deleted', current: entry.key });
        continue;
      }
      if (entry.outcome !== 'updated') continue;
      const participant = kind === 'sessionParticipants';
      const rowKey = participant
        ? `${kind}:${entry.key.sessionId}:${entry.key.personId}`
        : `${kind}:${entry.id}`;
      const current = rows.get(rowKey);
      const sent = atPath(payload, participant ? `${entry.path}.session_options` : entry.path) as
        | Obj
        | undefined;
      for (const field of entry.changedFields ?? []) {
        // the proposal's `person` is its first listed person (the PI)
        const wanted =
          kind === 'proposal' && field === 'person' ? atPath(payload, 'proposal.persons[0]') : sent?.[field];
        const now =
          kind === 'proposal' && field === 'person'
            ? (current?.persons as Obj[] | undefined)?.[0]
            : current?.[field];
        changes.push({
          ...base,
          outcome: 'updated',
          field,
          current: shown(field, now),
          wanted: shown(field, wanted),
        });
      }
    }
  }
  return changes;
}
