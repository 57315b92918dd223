import type { TValidationIssue } from './errors.js';
import { show } from './issue-codes.js';
import type { TPerson, TSessionPerson } from './sync-proposal.js';

type Fields = Record<string, unknown>;

/**
 * A login as ISPyB's collations (utf8mb4_general_ci, latin1_swedish_ci) compare it: case and
 * accents ignored (`José` = `jose`), trailing spaces ignored. Occurrences the database would match
 * to one row must be one person here too, or a sync creates two rows it can no longer tell apart.
 */
export function loginKey(login: string): string {
  // NFD and the diacritic strip change no printable ASCII but ^ and ` (Diacritic): skipped there
  const folded = PLAIN_ASCII.test(login) ? login : login.normalize('NFD').replace(/\p{Diacritic}/gu, '');
  return folded.toLowerCase().replace(/ +$/, '');
}

const PLAIN_ASCII = /^[\x20-\x5d\x5f\x61-\x7e]*$/;

const sameValue = (field: string, a: unknown, b: unknown) =>
  a === b ||
  (field === 'login' && typeof a === 'string' && typeof b === 'string' && loginKey(a) === loginKey(b));

interface Payload {
  proposal: { persons: Fields[]; labcontacts?: { person: Fields }[] | null };
  sessions?: { persons?: Fields[] | null }[] | null;
  proteins?: { person: Fields }[] | null;
}

// Where an occurrence sits, as numbers: its path string is only built for a conflict message.
const PROPOSAL_PERSON = 0;
const LAB_CONTACT = 1;
const PROTEIN = 2;
const SESSION_PERSON = 3;

interface Occurrence {
  person: Fields;
  /** The array or object holding the person, and the index or key it sits at. */
  holder: Fields | Fields[];
  slot: number | 'person';
  place: number;
  i: number;
  j: number;
}

function pathOf(o: Occurrence): string {
  if (o.place === PROPOSAL_PERSON) return `proposal.persons[${o.i}]`;
  if (o.place === LAB_CONTACT) return `proposal.labcontacts[${o.i}].person`;
  if (o.place === PROTEIN) return `proteins[${o.i}].person`;
  return `sessions[${o.i}].persons[${o.j}]`;
}

/** Every place a person appears, in payload order. */
function occurrences(data: Payload): Occurrence[] {
  const out: Occurrence[] = [];
  const persons = data.proposal.persons;
  for (let i = 0; i < persons.length; i++) {
    out.push({ person: persons[i]!, holder: persons, slot: i, place: PROPOSAL_PERSON, i, j: 0 });
  }
  const cards = data.proposal.labcontacts;
  if (cards) {
    for (let i = 0; i < cards.length; i++) {
      const card = cards[i]!;
      out.push({ person: card.person, holder: card, slot: 'person', place: LAB_CONTACT, i, j: 0 });
    }
  }
  const proteins = data.proteins;
  if (proteins) {
    for (let i = 0; i < proteins.length; i++) {
      const protein = proteins[i]!;
      out.push({ person: protein.person, holder: protein, slot: 'person', place: PROTEIN, i, j: 0 });
    }
  }
  const sessions = data.sessions;
  if (sessions) {
    for (let i = 0; i < sessions.length; i++) {
      const list = sessions[i]!.persons;
      if (!list) continue;
      for (let j = 0; j < list.length; j++) {
        out.push({ person: list[j]!, holder: list, slot: j, place: SESSION_PERSON, i, j });
      }
    }
  }
  return out;
}

/** Groups occurrences sharing an externalId or a login (union-find over both keys), in payload order. */
function identities(occs: Occurrence[]): Occurrence[][] {
  const parent = occs.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const byExternalId = new Map<string, number>();
  const byLogin = new Map<string, number>();
  const join = (keys: Map<string, number>, key: string, i: number) => {
    const first = keys.get(key);
    if (first === undefined) keys.set(key, i);
    else parent[find(i)] = find(first);
  };
  for (let i = 0; i < occs.length; i++) {
    const person = occs[i]!.person;
    if (typeof person.externalId === 'string') join(byExternalId, person.externalId, i);
    if (typeof person.login === 'string') join(byLogin, loginKey(person.login), i);
  }
  const groups: Occurrence[][] = [];
  const groupOfRoot: (Occurrence[] | undefined)[] = [];
  for (let i = 0; i < occs.length; i++) {
    const root = find(i);
    const group = groupOfRoot[root];
    if (group) group.push(occs[i]!);
    else {
      const created = [occs[i]!];
      groupOfRoot[root] = created;
      groups.push(created);
    }
  }
  return groups;
}

/**
 * Merges the fields of several objects; a second different non-null value is a conflict.
 * `fieldsOf` reads one occurrence's object, `pathOfPart` its path (only for messages).
 */
function mergeFields(
  parts: Occurrence[],
  fieldsOf: (o: Occurrence) => Fields,
  pathOfPart: (o: Occurrence) => string,
  skipNotMerged: boolean,
  issues: TValidationIssue[],
): Fields {
  const merged: Fields = {};
  for (let p = 0; p < parts.length; p++) {
    const fields = fieldsOf(parts[p]!);
    for (const field of Object.keys(fields)) {
      const value = fields[field];
      if ((skipNotMerged && NOT_MERGED.has(field)) || value === undefined) continue;
      const current = merged[field];
      if (current === undefined || current === null) {
        if (value !== null || current === undefined) merged[field] = value;
      } else if (value !== null && !sameValue(field, current, value)) {
        const path = pathOfPart(parts[p]!);
        const source = pathOfPart(sourceOf(parts, p, field, fieldsOf));
        issues.push({
          path: `${path}.${field}`,
          code: 'person_conflict',
          message: `the same person has two values for ${field}: ${show(current)} at ${source}.${field} and ${show(value)} at ${path}.${field}`,
        });
      }
    }
  }
  return merged;
}

/**
 * The part the merged value of `field` came from, before part `upTo`: the first to give it, or the
 * first to give a non-null value after nulls. Found again on a conflict rather than recorded for
 * every field of every clean payload.
 */
function sourceOf(
  parts: Occurrence[],
  upTo: number,
  field: string,
  fieldsOf: (o: Occurrence) => Fields,
): Occurrence {
  let source: Occurrence | undefined;
  let sourceValue: unknown;
  for (let p = 0; p < upTo; p++) {
    const fields = fieldsOf(parts[p]!);
    if (!Object.hasOwn(fields, field)) continue;
    const value = fields[field];
    if (value === undefined) continue;
    if (source === undefined || (sourceValue === null && value !== null)) {
      source = parts[p]!;
      sourceValue = value;
    }
  }
  return source!;
}

const NOT_MERGED = new Set(['session_options', 'laboratory']);
const personOf = (o: Occurrence) => o.person;
const laboratoryOf = (o: Occurrence) => o.person.laboratory as Fields;
const laboratoryPathOf = (o: Occurrence) => `${pathOf(o)}.laboratory`;

/** A copy of an object without its undefined fields (and without `session_options` and `laboratory` when `skipNotMerged`). */
function copyDefined(fields: Fields, skipNotMerged: boolean): Fields {
  const out: Fields = {};
  for (const field of Object.keys(fields)) {
    const value = fields[field];
    if (value !== undefined && !(skipNotMerged && NOT_MERGED.has(field))) out[field] = value;
  }
  return out;
}

/**
 * A person as the merge leaves it: the merged fields, then the laboratory, then its own
 * `session_options`. Built by plain stores: spreading the merged object and then adding keys to
 * the copy cost several times the rest of the merge in V8.
 */
function mergedPerson(
  fields: Fields,
  skipNotMerged: boolean,
  laboratory: Fields | null | undefined,
  own: Fields,
): Fields {
  const person = copyDefined(fields, skipNotMerged);
  if (laboratory !== undefined)
    person.laboratory = laboratory === null ? null : copyDefined(laboratory, false);
  if (own.session_options !== undefined) person.session_options = own.session_options;
  return person;
}

function put(occ: Occurrence, person: Fields) {
  (occ.holder as Record<string | number, Fields>)[occ.slot] = person;
}

/** One place a person appears in the normalised payload. */
export interface TPersonOccurrence {
  /** `proposal.persons[0]`, `proposal.labcontacts[1].person`, `proteins[0].person`, `sessions[0].persons[2]`. */
  path: string;
  /** The object at that path in `data` (merged fields plus, in a session, its own `session_options`). */
  person: TPerson | TSessionPerson;
}

/**
 * One identity of the payload: every occurrence sharing an externalId or a login (under ISPyB's
 * collation, `loginKey`), with the fields merged across them. This is the one grouping: sync-core
 * syncs one Person row per group.
 */
export interface TPersonGroup {
  /** Merged fields of the identity (with its merged `laboratory`, without `session_options`). */
  person: TPerson;
  externalId: string | undefined;
  login: string | undefined;
  /** In payload order; the first is where results and warnings point. */
  occurrences: TPersonOccurrence[];
}

function groupOf(group: Occurrence[], person: Fields): TPersonGroup {
  return {
    person: person as TPerson,
    externalId: typeof person.externalId === 'string' ? person.externalId : undefined,
    login: typeof person.login === 'string' ? person.login : undefined,
    occurrences: group.map((o) => ({
      path: pathOf(o),
      person: (o.holder as Record<string | number, Fields>)[o.slot] as TPerson | TSessionPerson,
    })),
  };
}

/**
 * Merges the persons of a normalised payload in place: every occurrence of one identity receives
 * the merged fields (laboratory merged field by field), keeping its own `session_options`.
 * Returns the conflicts found and the identity groups, in payload order of their first occurrence.
 */
export function mergePersons(data: Payload): { issues: TValidationIssue[]; groups: TPersonGroup[] } {
  const issues: TValidationIssue[] = [];
  const groups: TPersonGroup[] = [];
  for (const group of identities(occurrences(data))) {
    if (group.length === 1) {
      // Alone, a person merges with nobody: the merge of one object is a copy of its defined fields.
      const { person } = group[0]!;
      const laboratory = person.laboratory as Fields | null | undefined;
      const merged = mergedPerson(person, true, laboratory, {});
      put(
        group[0]!,
        person.session_options === undefined ? merged : mergedPerson(person, true, laboratory, person),
      );
      groups.push(groupOf(group, merged));
      continue;
    }
    const merged = mergeFields(group, personOf, pathOf, true, issues);
    const labs = group.filter((o) => o.person.laboratory !== undefined);
    const labObjects = labs.filter((o) => o.person.laboratory !== null);
    let laboratory: Fields | null | undefined;
    if (labObjects.length > 0) {
      laboratory = mergeFields(labObjects, laboratoryOf, laboratoryPathOf, false, issues);
    } else if (labs.length > 0) laboratory = null;
    for (const occ of group) put(occ, mergedPerson(merged, false, laboratory, occ.person));
    groups.push(groupOf(group, mergedPerson(merged, false, laboratory, {})));
  }
  return { issues, groups };
}
