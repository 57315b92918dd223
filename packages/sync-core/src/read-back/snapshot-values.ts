import type { SnapshotValueKind } from '@upsync/schema';
import { decodeExternalId } from '../external-id.js';

// How stored values look in a snapshot: the payload's normal form (what parseSyncProposal yields).

/** 16 stored bytes → canonical externalId. UUID bytes are random, so 4 leading zero bytes mean an integer (< 2^96). */
export function externalIdValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const bytes = Buffer.isBuffer(value) ? value : value instanceof Uint8Array ? Buffer.from(value) : null;
  if (bytes?.length !== 16) return undefined;
  return decodeExternalId(bytes, bytes.readUInt32BE(0) === 0 ? 'integer' : 'uuid');
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A datetime column → `YYYY-MM-DD HH:mm:ss` facility-local text (ISPyB stores wall-clock time). */
export function datetimeValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    // a driver that builds Dates reads the wall clock in the process's zone: its local getters give it back
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())} ${pad(value.getHours())}:${pad(value.getMinutes())}:${pad(value.getSeconds())}`;
  }
  const text = String(value).replace('T', ' ');
  return text.length >= 19 ? text.slice(0, 19) : text;
}

export const textValue = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : Buffer.isBuffer(value)
      ? value.toString('utf8')
      : String(value);

export const numberValue = (value: unknown): number | null =>
  value === null || value === undefined || value === '' ? null : Number(value);

export const flagValue = (value: unknown): 0 | 1 | null =>
  value === null || value === undefined ? null : Number(value) === 0 ? 0 : 1;

export type ValueKind = SnapshotValueKind;

const CONVERT: Record<ValueKind, (value: unknown) => unknown> = {
  text: textValue,
  number: numberValue,
  flag: flagValue,
  datetime: datetimeValue,
  externalId: externalIdValue,
};

/**
 * Copies the given fields of a row (column = field name, optionally prefixed) into a snapshot
 * object; a column this database lacks stays absent, as does an absent externalId.
 */
export function pickFields(
  row: Record<string, unknown>,
  fields: Readonly<Record<string, ValueKind>>,
  live: ReadonlySet<string> | undefined,
  prefix = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(fields)) {
    if (!live?.has(field)) continue;
    const value = CONVERT[kind](row[prefix + field]);
    if (value !== undefined) out[field] = value;
  }
  return out;
}
