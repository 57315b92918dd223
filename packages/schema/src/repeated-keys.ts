import { DECLARATION, type FieldDeclaration, keyFields } from './declaration.js';
import type { TValidationIssue } from './errors.js';
import { show } from './issue-codes.js';
import { loginKey } from './merge-persons.js';

type Keyed = Record<string, unknown>;

/** What the payload's proteins and sessions look like here (already normalised by the schema). */
interface Payload {
  proteins?: Keyed[] | null;
  sessions?: Keyed[] | null;
}

/**
 * Two proteins or two sessions of one payload with the same key (any of the declaration's keys,
 * rank 1 first) would become two ISPyB rows sharing one identity (or one row written twice):
 * refused, naming both. Text keys (acronyms) compare as ISPyB's collations do (case and accents
 * ignored); externalIds in their normalised form.
 */
export function repeatedKeys(payload: Payload): TValidationIssue[] {
  return [
    ...repeats(payload.proteins, 'proteins', keysOf('protein')),
    ...repeats(payload.sessions, 'sessions', keysOf('session')),
  ];
}

function keysOf(
  entity: 'protein' | 'session',
): { field: string; key: (item: Keyed) => string | undefined }[] {
  const fields: Record<string, FieldDeclaration> = DECLARATION[entity].fields;
  return [...keyFields(entity, 1), ...keyFields(entity, 2)].map((field: string) => ({
    field,
    key: (item) => {
      const value = item[field];
      if (value == null) return undefined;
      return fields[field]!.kind === 'text' ? loginKey(String(value)) : String(value);
    },
  }));
}

function repeats(
  items: Keyed[] | null | undefined,
  list: 'proteins' | 'sessions',
  keys: { field: string; key: (item: Keyed) => string | undefined }[],
): TValidationIssue[] {
  const issues: TValidationIssue[] = [];
  for (const { field, key } of keys) {
    const first = new Map<string, number>();
    (items ?? []).forEach((item, i) => {
      const k = key(item);
      if (k === undefined) return;
      const earlier = first.get(k);
      if (earlier === undefined) {
        first.set(k, i);
        return;
      }
      issues.push({
        path: `${list}[${i}].${field}`,
        code: 'duplicate_key',
        message: `same ${field} as ${list}[${earlier}] (${show(item[field])}): each ${list === 'proteins' ? 'protein' : 'session'} of a payload needs its own`,
      });
    });
  }
  return issues;
}
