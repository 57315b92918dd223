/**
 * externalId codec (sync-spec §3). Integers: 16 bytes big-endian, left-padded with zeros
 * (byte-identical to py-ISPyB). UUIDs: their 16 raw bytes (Diamond's `unhex()`).
 */
const UUID_DASHED = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const UUID_PLAIN = /^[0-9a-fA-F]{32}$/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;
const LIMIT = 1n << 128n;

export type ExternalIdKind = 'integer' | 'uuid';

/** Encodes a canonical externalId (decimal string / number, or UUID) into its 16 stored bytes. */
export function encodeExternalId(value: string | number | bigint): Buffer {
  const text = String(value).trim();
  if (UUID_DASHED.test(text) || UUID_PLAIN.test(text)) {
    return Buffer.from(text.replaceAll('-', ''), 'hex');
  }
  if (!DECIMAL.test(text)) throw new RangeError('externalId must be a non-negative integer or a UUID');
  const n = BigInt(text);
  if (n >= LIMIT) throw new RangeError('externalId must be below 2^128');
  return Buffer.from(n.toString(16).padStart(32, '0'), 'hex');
}

/** Decodes 16 stored bytes into the canonical form of the given kind (decimal string or dashed UUID). */
export function decodeExternalId(bytes: Uint8Array, kind: ExternalIdKind = 'integer'): string {
  if (bytes.length !== 16) throw new RangeError('externalId must be 16 bytes');
  const hex = Buffer.from(bytes).toString('hex');
  if (kind === 'uuid') {
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return BigInt(`0x${hex}`).toString(10);
}
