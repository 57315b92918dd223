import type { TValidationIssue } from './errors.js';
import { show } from './issue-codes.js';

type Fields = Record<string, unknown>;

interface Occurrence {
  path: string;
  person: Fields;
  put: (person: Fields) => void;
}

/** A login as ISPyB's collations compare it: case-insensitive, trailing spaces ignored. */
export function loginKey(login: string): string {
  return login.replace(/ +$/, '').toLowerCase();
}

const sameValue = (field: string, a: unknown, b: unknown) =>
  a === b ||
  (field === 'login' && typeof a === 'string' && typeof b === 'string' && loginKey(a) === loginKey(b));

interface Payload {
  proposal: { persons: Fields[]; labcontacts?: { person: Fields }[] | null };
  sessions?: { persons?: Fields[] | null }[] | null;
  proteins?: { person: Fields }[] | null;
}

/** Every place a person appears, in payload order. */
function occurrences(data: Payload): Occurrence[] {
  const out: Occurrence[] = [];
  data.proposal.persons.forEach((person, i, list) => {
    out.push({ path: `proposal.persons[${i}]`, person, put: (p) => (list[i] = p) });
  });
  data.proposal.labcontacts?.forEach((card, i) => {
    out.push({
      path: `proposal.labcontacts[${i}].person`,
      person: card.person,
      put: (p) => (card.person = p),
    });
  });
  data.proteins?.forEach((protein, i) => {
    out.push({ path: `proteins[${i}].person`, person: protein.person, put: (p) => (protein.person = p) });
  });
  data.sessions?.forEach((session, i) => {
    session.persons?.forEach((person, j, list) => {
      out.push({ path: `sessions[${i}].persons[${j}]`, person, put: (p) => (list[j] = p) });
    });
  });
  return out;
}

/** Groups occurrences sharing an externalId or a login (union-find over both keys). */
function identities(occs: Occurrence[]): Occurrence[][] {
  const parent = occs.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const firstByKey = new Map<string, number>();
  occs.forEach(({ person }, i) => {
    const keys: string[] = [];
    if (typeof person.externalId === 'string') keys.push(`e:${person.externalId}`);
    if (typeof person.login === 'string') keys.push(`l:${loginKey(person.login)}`);
    for (const key of keys) {
      const first = firstByKey.get(key);
      if (first === undefined) firstByKey.set(key, i);
      else parent[find(i)] = find(first);
    }
  });
  const groups = new Map<number, Occurrence[]>();
  occs.forEach((occ, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(occ);
    else groups.set(root, [occ]);
  });
  return [...groups.values()];
}

/** Merges the fields of several objects; a second different non-null value is a conflict. */
function mergeFields(
  parts: { path: string; fields: Fields }[],
  skip: ReadonlySet<string>,
  issues: TValidationIssue[],
): Fields {
  const merged: Fields = {};
  const source: Record<string, string> = {};
  for (const { path, fields } of parts) {
    for (const [field, value] of Object.entries(fields)) {
      if (skip.has(field) || value === undefined) continue;
      const current = merged[field];
      if (current === undefined || current === null) {
        if (value !== null || current === undefined) {
          merged[field] = value;
          source[field] = `${path}.${field}`;
        }
      } else if (value !== null && !sameValue(field, current, value)) {
        issues.push({
          path: `${path}.${field}`,
          code: 'person_conflict',
          message: `the same person has two values for ${field}: ${show(current)} at ${source[field]} and ${show(value)} at ${path}.${field}`,
        });
      }
    }
  }
  return merged;
}

const NOT_MERGED = new Set(['session_options', 'laboratory']);

/**
 * Merges the persons of a normalised payload in place: every occurrence of one identity receives
 * the merged fields (laboratory merged field by field), keeping its own `session_options`.
 * Returns the conflicts found.
 */
export function mergePersons(data: Payload): TValidationIssue[] {
  const issues: TValidationIssue[] = [];
  for (const group of identities(occurrences(data))) {
    const merged = mergeFields(
      group.map((o) => ({ path: o.path, fields: o.person })),
      NOT_MERGED,
      issues,
    );
    const labs = group.filter((o) => o.person.laboratory !== undefined);
    const labObjects = labs.filter((o) => o.person.laboratory !== null);
    let laboratory: Fields | null | undefined;
    if (labObjects.length > 0) {
      laboratory = mergeFields(
        labObjects.map((o) => ({ path: `${o.path}.laboratory`, fields: o.person.laboratory as Fields })),
        new Set(),
        issues,
      );
    } else if (labs.length > 0) laboratory = null;
    for (const occ of group) {
      const person: Fields = { ...merged };
      if (laboratory !== undefined) person.laboratory = laboratory === null ? null : { ...laboratory };
      if (occ.person.session_options !== undefined) person.session_options = occ.person.session_options;
      occ.put(person);
    }
  }
  return issues;
}
