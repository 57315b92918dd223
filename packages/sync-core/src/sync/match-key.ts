import { loginKey } from '@upsync/schema';

/**
 * In-memory mirror of ISPyB's case-insensitive, PAD SPACE collations, used to map rows the
 * database returned back to payload entries: lowercase, accents folded, trailing spaces ignored.
 * The SQL lookup decides what matches; this only has to be at least as tolerant.
 */
export function matchKey(value: unknown): string {
  if (value === null || value === undefined) return '\u0000null';
  // the schema's fold for logins is the collation's fold for every key
  return loginKey(String(value));
}

/** A composite key (e.g. name, city, country) as one string. */
export function matchKeyOf(values: readonly unknown[]): string {
  return values.map(matchKey).join('\u0001');
}
