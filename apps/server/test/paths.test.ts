import { formatPath } from '@upsync/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePath } from '../src/errors/validation-error-body.js';

describe('payload paths', () => {
  it('formats and parses py-ISPyB-style paths', () => {
    const segments = ['sessions', 1, 'persons', 0, 'familyName'];
    expect(formatPath(segments)).toBe('sessions[1].persons[0].familyName');
    expect(parsePath('sessions[1].persons[0].familyName')).toEqual(segments);
    expect(parsePath('')).toEqual([]);
    expect(formatPath([0, 'proposal'])).toBe('[0].proposal');
  });

  it('round-trips any path of identifiers and indexes', () => {
    const segment = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/), fc.nat(1000));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        expect(parsePath(formatPath(segments))).toEqual(segments);
      }),
    );
  });
});
