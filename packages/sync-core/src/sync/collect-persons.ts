import type { Managed } from './context.js';
import type { PersonIn, SyncInput } from './input.js';
import { matchKey } from './match-key.js';

/** One identity of the payload: every occurrence with the same externalId or login. */
export interface PersonGroup {
  /** Path of the first occurrence (where results and warnings point). */
  path: string;
  externalId: string | undefined;
  login: string | undefined;
  /** Merged fields (first present value wins; the schema has already refused contradictions). */
  fields: PersonIn;
  /** The managed Person it resolved to (found or created): set by sync-persons. */
  entity?: Managed;
}

/** Every person occurrence of the payload with its path, in payload order. */
export function personOccurrences(input: SyncInput): { person: PersonIn; path: string }[] {
  const out: { person: PersonIn; path: string }[] = [];
  input.proposal.persons.forEach((person, i) => {
    out.push({ person, path: `proposal.persons[${i}]` });
  });
  input.proposal.labcontacts?.forEach((lc, i) => {
    out.push({ person: lc.person, path: `proposal.labcontacts[${i}].person` });
  });
  input.proteins?.forEach((p, i) => {
    out.push({ person: p.person, path: `proteins[${i}].person` });
  });
  input.sessions?.forEach((s, i) => {
    s.persons?.forEach((person, j) => {
      out.push({ person, path: `sessions[${i}].persons[${j}]` });
    });
  });
  return out;
}

/** Groups occurrences by identity (union of equal externalId / equal login, under the collation's rules: matchKey). */
export function collectPersons(input: SyncInput): {
  groups: PersonGroup[];
  groupOf: Map<PersonIn, PersonGroup>;
} {
  const occurrences = personOccurrences(input);
  const parent = occurrences.map((_, i) => i);
  const find = (i: number): number => {
    if (parent[i] !== i) parent[i] = find(parent[i]!);
    return parent[i]!;
  };
  const seen = new Map<string, number>();
  occurrences.forEach(({ person }, i) => {
    for (const key of identityKeys(person)) {
      const j = seen.get(key);
      if (j === undefined) seen.set(key, i);
      else parent[find(i)] = find(j);
    }
  });
  const byRoot = new Map<number, PersonGroup>();
  const groupOf = new Map<PersonIn, PersonGroup>();
  occurrences.forEach(({ person, path }, i) => {
    const root = find(i);
    let group = byRoot.get(root);
    if (!group) {
      group = { path, externalId: undefined, login: undefined, fields: {} };
      byRoot.set(root, group);
    }
    mergeInto(group, person);
    groupOf.set(person, group);
  });
  return { groups: [...byRoot.values()], groupOf };
}

function identityKeys(person: PersonIn): string[] {
  const keys: string[] = [];
  if (person.externalId != null) keys.push(`ext:${person.externalId}`);
  if (person.login != null) keys.push(`login:${matchKey(person.login)}`);
  return keys;
}

function mergeInto(group: PersonGroup, person: PersonIn): void {
  const fields = group.fields as Record<string, unknown>;
  for (const [k, v] of Object.entries(person)) {
    if (k === 'session_options' || v === undefined) continue;
    if (fields[k] === undefined) fields[k] = v;
  }
  group.externalId ??= person.externalId ?? undefined;
  group.login ??= person.login ?? undefined;
}
