import { type Checked, fail, ok, show } from './issue-codes.js';

/** Value range of an integer column type. */
export interface IntRange {
  readonly sqlType: string;
  readonly min: number;
  readonly max: number;
}

export const INT_UNSIGNED: IntRange = { sqlType: 'int(10) unsigned', min: 0, max: 4294967295 };
export const INT_SIGNED: IntRange = { sqlType: 'int(11)', min: -2147483648, max: 2147483647 };
export const TINYINT_UNSIGNED: IntRange = { sqlType: 'tinyint(3) unsigned', min: 0, max: 255 };

const INTEGER_TEXT = /^[+-]?[0-9]+$/;
// Each digit run can be matched one way only (the fraction's digits only after a literal dot):
// linear backtracking. `[0-9]+\.?[0-9]*` split a run of digits every way on a failed match,
// quadratic in the string's length (seconds of blocked event loop for one request).
const DECIMAL_TEXT = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** Reads a JSON number or a numeric string as a number; undefined when it is not numeric. */
function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.length <= 400 && DECIMAL_TEXT.test(value.trim())) {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Converts a JSON number or a numeric string such as `"42"` to an integer within the column's range. */
export function toInteger(value: unknown, range: IntRange): Checked<number> {
  const n = numericValue(value);
  if (n === undefined) {
    return fail('invalid_type', `expected an integer (a number or a numeric string), got ${show(value)}`);
  }
  if (typeof value === 'string' && Number.isInteger(n) && !INTEGER_TEXT.test(value.trim())) {
    return fail('invalid_type', `${show(value)}: write an integer as plain decimal digits`);
  }
  if (!Number.isInteger(n)) {
    return fail(
      'lossy_number',
      `${show(value)} is not an integer: storing it would lose its fractional part`,
    );
  }
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    return fail(
      'out_of_range',
      `${show(value)} is out of range: the ${range.sqlType} column holds ${range.min} to ${range.max}`,
    );
  }
  return ok(n === 0 ? 0 : n); // no -0
}

/** Converts a JSON number or a numeric string to a floating-point number. */
export function toFloat(value: unknown): Checked<number> {
  const n = numericValue(value);
  if (n === undefined)
    return fail('invalid_type', `expected a number or a numeric string, got ${show(value)}`);
  return ok(n);
}

/** Converts a flag (boolean, 0/1 or "0"/"1") to the 0 | 1 stored in a tinyint(1) column. */
export function toFlag(value: unknown): Checked<0 | 1> {
  if (value === true || value === 1 || value === '1') return ok(1);
  if (value === false || value === 0 || value === '0') return ok(0);
  return fail('invalid_type', `expected a flag (true, false, 0 or 1), got ${show(value)}`);
}
