import { describe, expect, it } from 'vitest';
import { decodeExternalId, encodeExternalId } from '../src/index.js';

describe('externalId codec (sync-spec §3)', () => {
  it.each([
    ['0', '00000000000000000000000000000000'],
    ['157', '0000000000000000000000000000009d'],
    [String(2n ** 53n + 1n), '00000000000000000020000000000001'],
    [String(2n ** 63n + 7n), '00000000000000008000000000000007'],
    [String(2n ** 128n - 1n), 'ffffffffffffffffffffffffffffffff'],
  ])('encodes integer %s as 16 bytes big-endian, like py-ISPyB', (value, hex) => {
    const bytes = encodeExternalId(value);
    expect(bytes.toString('hex')).toBe(hex);
    expect(decodeExternalId(bytes)).toBe(value);
  });

  it('encodes a JS number the same as its decimal string', () => {
    expect(encodeExternalId(157).equals(encodeExternalId('157'))).toBe(true);
  });

  it('stores a UUID as its 16 raw bytes (dashed or plain) and reads it back dashed', () => {
    const uuid = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    const bytes = encodeExternalId(uuid);
    expect(bytes.toString('hex')).toBe('1b4e28ba2fa111d2883f0016d3cca427');
    expect(encodeExternalId(uuid.replaceAll('-', '').toUpperCase()).equals(bytes)).toBe(true);
    expect(decodeExternalId(bytes, 'uuid')).toBe(uuid);
  });

  it.each(['-1', '1.5', String(2n ** 128n), 'abc', ''])('refuses %j', (value) => {
    expect(() => encodeExternalId(value)).toThrow(RangeError);
  });
});
