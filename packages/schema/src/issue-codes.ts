import * as z from 'zod';

/** Stable codes of validation issues (`TValidationIssue.code`); documented in the README. */
export const ZIssueCode = z.enum([
  'required',
  'invalid_type',
  'too_long',
  'not_latin1',
  'not_utf8mb3',
  'invalid_enum',
  'unknown_key',
  'lossy_number',
  'out_of_range',
  'invalid_external_id',
  'invalid_datetime',
  'person_conflict',
  'duplicate_key',
  'password_refused',
  'missing_column',
  'at_least_one',
  'invalid_option',
  'nul_character',
  'too_many_items',
  'too_many_issues',
]);
export type TIssueCode = z.infer<typeof ZIssueCode>;

/** Codes of warnings returned by a successful parse. */
export const ZWarningCode = z.enum([
  'unknown_key_stripped',
  // UPSYNC_MISSING_COLUMNS=skip: a field (or a session keyed only by it) not written, its column missing
  'MISSING_COLUMN',
]);
export type TWarningCode = z.infer<typeof ZWarningCode>;

/** Outcome of converting one value: the normalised value, or why it was refused. */
export type Checked<T> = { ok: true; value: T } | { ok: false; code: TIssueCode; message: string };

export const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
export const fail = (code: TIssueCode, message: string): Checked<never> => ({ ok: false, code, message });

/** A short, quoted rendering of a value for messages (never the whole of a huge or deep value). */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(cut);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return `a value of type ${describeType(value)}`;
}

/** JSON type name of a value, for "expected X, got Y" messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value;
}
