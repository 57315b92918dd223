import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stackSafeStringify } from '../src/history/stack-safe-json.js';
import { payloadJson } from '../src/history/sync-run-record.js';

describe('history: payloads nested deeper than JSON.stringify goes', () => {
  it('the stack-safe serialiser writes exactly what JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(stackSafeStringify(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
    const odd = { a: undefined, b: [undefined, () => 1, Symbol('s')], c: new Date(0), d: -0, e: Number.NaN };
    expect(stackSafeStringify(odd)).toBe(JSON.stringify(odd));
    expect(stackSafeStringify(undefined)).toBe(JSON.stringify(undefined));
  });

  it('a 100,000-level payload gets the JSON text its history row hashes', () => {
    const depth = 100_000;
    const text = `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
    const value = JSON.parse(text);
    // JSON.stringify throws RangeError at this depth up to Node 24 (sync-core's floor is 22.17);
    // Node 26's no longer does
    if (Number(process.versions.node.split('.')[0]) < 26)
      expect(() => JSON.stringify(value)).toThrow(RangeError);
    expect(payloadJson(value)).toBe(text);
  });
});
