import { describe, expect, it } from 'vitest';
import { externalIdToBytes, toExternalId } from '../src/index.js';

const value = (v: unknown) => {
  const r = toExternalId(v);
  return r.ok ? r.value : `${r.code}: ${r.message}`;
};

describe('externalId', () => {
  it.each([
    [157, '157'],
    ['157', '157'],
    ['000157', '157'],
    [0, '0'],
    ['0', '0'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    ['340282366920938463463374607431768211455', '340282366920938463463374607431768211455'],
    ['6F9619FF-8B86-D011-B42D-00CF4FC964FF', '6f9619ff-8b86-d011-b42d-00cf4fc964ff'],
    ['6F9619FF8B86D011B42D00CF4FC964FF', '6f9619ff-8b86-d011-b42d-00cf4fc964ff'],
    // Only decimal digits: always an integer, even 32 of them.
    ['12345678901234567890123456789012', '12345678901234567890123456789012'],
  ])('accepts %j as %s', (input, canonical) => {
    expect(value(input)).toBe(canonical);
  });

  it.each([
    [-1, 'is negative'],
    ['-1', 'is negative'],
    [1.5, 'is not an integer'],
    ['1.5', 'is not an integer'],
    [2 ** 60, 'send it as a decimal string'],
    ['340282366920938463463374607431768211456', '2^128 or more'],
    ['9'.repeat(1000), '2^128 or more'],
    ['', 'neither'],
    ['6F9619FF-8B86-D011-B42D-00CF4FC964F', 'neither'],
    ['g'.repeat(32), 'neither'],
    [true, 'expected an integer'],
    [{}, 'expected an integer'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(value(input)).toMatch(/^invalid_external_id: /);
    expect(value(input)).toContain(reason);
  });

  it('encodes like py-ISPyB (16 bytes big-endian) and UUIDs as their raw bytes', () => {
    expect([...externalIdToBytes('157')]).toEqual([...new Array(15).fill(0), 157]);
    expect([...externalIdToBytes('340282366920938463463374607431768211455')]).toEqual(
      new Array(16).fill(255),
    );
    expect([...externalIdToBytes('6f9619ff-8b86-d011-b42d-00cf4fc964ff')].slice(0, 4)).toEqual([
      0x6f, 0x96, 0x19, 0xff,
    ]);
  });
});
