import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSyncProposal } from '../src/index.js';
import { example } from './helpers.js';

const isResult = (r: unknown) =>
  typeof r === 'object' &&
  r !== null &&
  'success' in r &&
  (r.success ? 'data' in r && 'warnings' in r : 'errors' in r);

// Replaces the value at a random path of a JSON tree (walked with the random choices given).
function mutate(tree: unknown, choices: number[], replacement: unknown): unknown {
  if (choices.length === 0 || typeof tree !== 'object' || tree === null) return replacement;
  const [choice, ...rest] = choices;
  if (Array.isArray(tree)) {
    if (tree.length === 0) return replacement;
    const i = choice! % tree.length;
    return tree.map((v, j) => (j === i ? mutate(v, rest, replacement) : v));
  }
  const keys = Object.keys(tree);
  if (keys.length === 0) return replacement;
  const key = keys[choice! % keys.length]!;
  return { ...tree, [key]: mutate((tree as Record<string, unknown>)[key], rest, replacement) };
}

// Generous timeout: the machine's two cores are shared, and fast-check runs hundreds of parses.
describe('parseSyncProposal never throws', { timeout: 60_000 }, () => {
  it('on arbitrary JSON values', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom('reject' as const, 'strip' as const),
        (value, unknownKeys) => {
          expect(isResult(parseSyncProposal(value, { unknownKeys }))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('on mutations of the example payloads', () => {
    const bases = [example('pyispyb-create'), example('pyispyb-update')];
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        fc.oneof(fc.jsonValue(), fc.string(), fc.integer(), fc.double(), fc.constant(null)),
        (which, choices, replacement) => {
          const result = parseSyncProposal(mutate(bases[which], choices, replacement));
          expect(isResult(result)).toBe(true);
          if (!result.success) {
            for (const e of result.errors)
              expect(typeof e.path === 'string' && e.message.length > 0).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('on deeply nested, huge and prototype-polluting inputs', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const huge = 'x'.repeat(5_000_000);
    const inputs = [
      deep,
      { proposal: deep },
      { proposal: { proposalCode: huge, proposalNumber: huge, persons: [{ login: huge, [huge]: 1 }] } },
      JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {}, "proposal": {"__proto__": 1}}'),
      {
        proposal: {
          proposalCode: 'MX',
          proposalNumber: '1',
          persons: new Array(10_000).fill({ login: 'a' }),
        },
      },
    ];
    for (const input of inputs) expect(isResult(parseSyncProposal(input))).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
