import { type Checked, fail, ok, show } from './issue-codes.js';

const DIGITS = /^[0-9]+$/;
const HEX32 = /^[0-9a-fA-F]{32}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const MAX_DIGITS = 39; // 2^128 - 1 = 340282366920938463463374607431768211455
const LIMIT = 1n << 128n;

/** Regex (without flags: JSON Schema drops them) of the string forms an externalId accepts. */
export const EXTERNAL_ID_PATTERN =
  '^([0-9]+|[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$';

const dashed = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`.toLowerCase();

/**
 * Canonical form of an externalId: a decimal integer without leading zeros (`"157"`) or a
 * lowercase dashed UUID. Strings of decimal digits are always integers, even 32 of them.
 */
export function toExternalId(value: unknown): Checked<string> {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return fail('invalid_external_id', `${show(value)} is not an integer`);
    if (value < 0) return fail('invalid_external_id', `${show(value)} is negative`);
    if (!Number.isSafeInteger(value)) {
      return fail(
        'invalid_external_id',
        `${show(value)} is above 2^53 - 1 and has lost precision as a JSON number: send it as a decimal string`,
      );
    }
    return ok(String(value));
  }
  if (typeof value !== 'string') {
    return fail('invalid_external_id', `expected an integer, a decimal string or a UUID, got ${show(value)}`);
  }
  if (DIGITS.test(value)) {
    const digits = value.replace(/^0+(?=.)/, '');
    if (digits.length > MAX_DIGITS || BigInt(digits) >= LIMIT) {
      return fail('invalid_external_id', `${show(value)} is 2^128 or more: it does not fit in binary(16)`);
    }
    return ok(digits);
  }
  if (UUID.test(value)) return ok(value.toLowerCase());
  if (HEX32.test(value)) return ok(dashed(value));
  if (/^-[0-9]+$/.test(value)) return fail('invalid_external_id', `${show(value)} is negative`);
  if (/^[0-9]*\.[0-9]+$/.test(value)) return fail('invalid_external_id', `${show(value)} is not an integer`);
  return fail(
    'invalid_external_id',
    `${show(value)} is neither a non-negative integer below 2^128 nor a UUID (8-4-4-4-12 hex digits, or 32 hex digits)`,
  );
}

/** The 16 bytes ISPyB stores in `binary(16)` for a canonical externalId (big-endian integer or raw UUID). */
export function externalIdToBytes(canonical: string): Uint8Array {
  const hex = canonical.includes('-')
    ? canonical.replaceAll('-', '')
    : BigInt(canonical).toString(16).padStart(32, '0');
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
