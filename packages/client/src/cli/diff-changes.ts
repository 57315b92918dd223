import {
  type ChangedRow,
  fieldChanges,
  type TEntityKind,
  type TFieldChange,
  type TProposalSnapshot,
  type TSyncResult,
} from '@upsync/schema';

/** One line of `upsync diff`: @upsync/schema's TFieldChange (the same lines as syncRunDiff). */
export type FieldChange = TFieldChange;

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

/** The snapshot row of a dry run's entry; the proposal's `person` is its first listed person (the PI). */
function currentRow(rows: Map<string, Obj>, row: ChangedRow): Obj | undefined {
  const key =
    row.kind === 'sessionParticipants'
      ? `${row.kind}:${row.key.sessionId}:${row.key.personId}`
      : `${row.kind}:${row.id}`;
  const current = rows.get(key);
  if (row.kind !== 'proposal' || !current) return current;
  return { ...current, person: (current.persons as Obj[] | undefined)?.[0] };
}

/** What the payload sends for an entry (a participant's values are its `session_options`). */
function wantedRow(payload: unknown, row: ChangedRow): Obj | undefined {
  if (row.kind === 'sessionParticipants') return atPath(payload, `${row.path}.session_options`) as Obj;
  const sent = atPath(payload, row.path) as Obj | undefined;
  if (row.kind !== 'proposal' || !sent) return sent;
  return { ...sent, person: atPath(payload, 'proposal.persons[0]') };
}

/** Field-by-field changes of a dry run, old values from the read-back, new ones from the payload. */
export function diffChanges(
  result: TSyncResult,
  snapshot: TProposalSnapshot | null,
  payload: unknown,
): FieldChange[] {
  const rows = indexSnapshot(snapshot);
  const entries = (
    Object.entries(result.entities) as [TEntityKind, TSyncResult['entities'][TEntityKind]][]
  ).flatMap(([kind, list]) => list.map((entry): ChangedRow => ({ kind, ...entry })));
  return fieldChanges(entries, {
    current: (row) => currentRow(rows, row),
    wanted: (row) => wantedRow(payload, row),
  });
}
