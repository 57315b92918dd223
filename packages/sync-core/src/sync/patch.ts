import type { Row } from '../db/gateway.js';

/** Equality of a column value read back from the database and the value the payload wants. */
export function sameValue(current: unknown, wanted: unknown): boolean {
  if (current === undefined) current = null;
  if (wanted === undefined) wanted = null;
  if (current === null || wanted === null) return current === wanted;
  if (Buffer.isBuffer(current) || Buffer.isBuffer(wanted)) {
    return Buffer.isBuffer(current) && Buffer.isBuffer(wanted) && current.equals(wanted);
  }
  if (typeof wanted === 'number' || typeof current === 'number') {
    const a = Number(current);
    const b = Number(wanted);
    // float columns store single precision: compare at that precision
    return a === b || Math.fround(a) === Math.fround(b);
  }
  return String(current) === String(wanted);
}

/** The columns of `wanted` whose values differ from `row` (patch semantics: only what is given). */
export function changedColumns(row: Row, wanted: Row): Row {
  const out: Row = {};
  for (const [column, value] of Object.entries(wanted)) {
    if (value === undefined) continue;
    if (!sameValue(row[column], value)) out[column] = value;
  }
  return out;
}

/** Copies the payload fields that are present (undefined = absent; null clears) onto columns. */
export function pickPresent(source: object, fields: readonly string[]): Row {
  const out: Row = {};
  const src = source as Row;
  for (const field of fields) if (src[field] !== undefined) out[field] = src[field];
  return out;
}
