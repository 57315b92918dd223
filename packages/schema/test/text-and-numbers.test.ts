import { describe, expect, it } from 'vitest';
import { INT_SIGNED, INT_UNSIGNED, toFlag, toFloat, toInteger } from '../src/numbers.js';
import { characterLength, isLatin1CodePoint, toColumnText } from '../src/text.js';

const column = { table: 'Person', column: 'login' } as const;

describe('text', () => {
  it('counts code points', () => {
    expect(characterLength('a😀b')).toBe(3);
    expect(characterLength('\ud800')).toBe(1);
  });

  it('knows MySQL latin1 (cp1252)', () => {
    expect(['é', '€', '“', 'ÿ', 'Ÿ'].every((c) => isLatin1CodePoint(c.codePointAt(0)!))).toBe(true);
    expect(['→', 'ł', '\u0080', '😀'].some((c) => isLatin1CodePoint(c.codePointAt(0)!))).toBe(false);
  });

  it('converts numbers and refuses other types', () => {
    expect(toColumnText(234, {}, column)).toEqual({ ok: true, value: '234' });
    expect(toColumnText(true, {}, column)).toMatchObject({ ok: false, code: 'invalid_type' });
    expect(toColumnText(['a'], {}, column)).toMatchObject({
      ok: false,
      message: 'expected a string, got array',
    });
  });
});

describe('numbers', () => {
  it('integers', () => {
    expect(toInteger('42', INT_UNSIGNED)).toEqual({ ok: true, value: 42 });
    expect(toInteger(' 42 ', INT_UNSIGNED)).toEqual({ ok: true, value: 42 });
    expect(toInteger(-2147483648, INT_SIGNED)).toEqual({ ok: true, value: -2147483648 });
    expect(toInteger(2147483648, INT_SIGNED)).toMatchObject({ code: 'out_of_range' });
    expect(toInteger(4294967296, INT_UNSIGNED)).toMatchObject({ code: 'out_of_range' });
    expect(toInteger(2 ** 60, INT_UNSIGNED)).toMatchObject({ code: 'out_of_range' });
    expect(toInteger('1e3', INT_UNSIGNED)).toMatchObject({ code: 'invalid_type' });
    expect(toInteger('', INT_UNSIGNED)).toMatchObject({ code: 'invalid_type' });
    expect(toInteger(true, INT_UNSIGNED)).toMatchObject({ code: 'invalid_type' });
    expect(toInteger(0.5, INT_UNSIGNED)).toMatchObject({ code: 'lossy_number' });
  });

  it('floats and flags', () => {
    expect(toFloat('2.5')).toEqual({ ok: true, value: 2.5 });
    expect(toFloat('x')).toMatchObject({ code: 'invalid_type' });
    expect([true, false, 1, 0, '1', '0'].map((v) => toFlag(v))).toEqual(
      [1, 0, 1, 0, 1, 0].map((value) => ({ ok: true, value })),
    );
    expect(toFlag(2)).toMatchObject({ code: 'invalid_type' });
    expect(toFlag('true')).toMatchObject({ code: 'invalid_type' });
  });
});
