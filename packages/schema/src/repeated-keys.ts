import type { TValidationIssue } from './errors.js';
import { show } from './issue-codes.js';
import { loginKey } from './merge-persons.js';

interface Keyed {
  externalId?: string | null;
  acronym?: string;
  expSessionPk?: number | null;
}

/** What the payload's proteins and sessions look like here (already normalised by the schema). */
interface Payload {
  proteins?: Keyed[] | null;
  sessions?: Keyed[] | null;
}

/**
 * Two proteins or two sessions of one payload with the same key would become two ISPyB rows sharing
 * one identity (or one row written twice): refused, naming both. Acronyms compare as ISPyB's
 * collations do (case and accents ignored); externalIds in their normalised form.
 */
export function repeatedKeys(payload: Payload): TValidationIssue[] {
  return [
    ...repeats(payload.proteins, 'proteins', [
      { field: 'externalId', key: (p) => p.externalId ?? undefined },
      { field: 'acronym', key: (p) => (p.acronym === undefined ? undefined : loginKey(p.acronym)) },
    ]),
    ...repeats(payload.sessions, 'sessions', [
      { field: 'externalId', key: (s) => s.externalId ?? undefined },
      { field: 'expSessionPk', key: (s) => (s.expSessionPk == null ? undefined : String(s.expSessionPk)) },
    ]),
  ];
}

function repeats(
  items: Keyed[] | null | undefined,
  list: 'proteins' | 'sessions',
  keys: { field: keyof Keyed; key: (item: Keyed) => string | undefined }[],
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
