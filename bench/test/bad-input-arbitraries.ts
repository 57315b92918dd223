import fc from 'fast-check';
import { type Json, type JsonObject, PayloadFactory } from '../src/payloads.js';

/** Every path (keys and indexes) inside a JSON tree down to `maxDepth` levels, the root excluded. */
export function pathsOf(value: Json, prefix: (string | number)[] = [], maxDepth = 8): (string | number)[][] {
  if (prefix.length >= maxDepth) return [];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : value && typeof value === 'object'
      ? Object.entries(value)
      : [];
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k], maxDepth)]);
}

const EXTERNAL_IDS: Json[] = [
  -1,
  -0.5,
  1.5,
  2 ** 53,
  1e300,
  '340282366920938463463374607431768211456', // 2^128
  '340282366920938463463374607431768211455', // 2^128 - 1: valid
  '-1',
  '1e3',
  '0x10',
  ' 42 ',
  '',
  'not-a-uuid',
  'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
  'F81D4FAE7DEC11D0A76500A0C91E6BF6',
  'g81d4fae-7dec-11d0-a765-00a0c91e6bf6',
  true,
  {},
  [],
];
const NON_LATIN1 = ['漢字かな', 'Ωμέγα', '😀🧪', 'Zoë Ŝtraße', '\u0000nul', '\u202eRTL', 'a\ud800b', 'Ⅻ'];
const UNKNOWN_KEYS = [
  'beamlineOperator',
  'familyname',
  'proposalcode',
  'labContacts',
  'session_option',
  '__proto__',
  'constructor',
];

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'huge'; at: number; length: number; char: string }
  | { kind: 'nonLatin1'; at: number; text: string }
  | { kind: 'deep'; at: number; depth: number; array: boolean }
  | { kind: 'externalId'; at: number; value: Json }
  | { kind: 'unknownKey'; at: number; key: string }
  | { kind: 'numericString'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    value: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  }),
  fc.record({
    kind: fc.constant('huge' as const),
    at: fc.nat(),
    length: fc.integer({ min: 46, max: 200_000 }),
    char: fc.constantFrom('x', 'é', '漢', '😀'),
  }),
  fc.record({ kind: fc.constant('nonLatin1' as const), at: fc.nat(), text: fc.constantFrom(...NON_LATIN1) }),
  fc.record({
    kind: fc.constant('deep' as const),
    at: fc.nat(),
    depth: fc.integer({ min: 10, max: 3_000 }),
    array: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('externalId' as const),
    at: fc.nat(),
    value: fc.constantFrom(...EXTERNAL_IDS),
  }),
  fc.record({
    kind: fc.constant('unknownKey' as const),
    at: fc.nat(),
    key: fc.constantFrom(...UNKNOWN_KEYS),
  }),
  fc.record({
    kind: fc.constant('numericString' as const),
    at: fc.nat(),
    text: fc.constantFrom('42', '1.5', '-3', ' 7 ', '1e2', 'NaN', '99999999999999999999'),
  }),
);

function nest(depth: number, array: boolean): Json {
  let v: Json = 'bottom';
  for (let i = 0; i < depth; i++) v = array ? [v] : { a: v };
  return v;
}

/** Applies one mutation at the `at`-th path (modulo), or at the nearest fitting object for keys. */
export function applyMutation(root: JsonObject, m: Mutation): void {
  const paths = pathsOf(root);
  if (paths.length === 0) return;
  const path = paths[m.at % paths.length]!;
  const parentPath = path.slice(0, -1);
  let parent: Json = root;
  for (const k of parentPath) parent = (parent as Record<string | number, Json>)[k]!;
  const key = path[path.length - 1]!;
  const container = parent as Record<string | number, Json>;
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete container[key];
      return;
    case 'replace':
      container[key] = m.value;
      return;
    case 'huge':
      container[key] = m.char.repeat(m.length);
      return;
    case 'nonLatin1':
      container[key] = m.text;
      return;
    case 'deep':
      container[key] = nest(m.depth, m.array);
      return;
    case 'externalId': {
      // the nearest object on the path that carries an externalId, else this one
      const target = Array.isArray(parent) ? undefined : container;
      if (target) target.externalId = m.value;
      return;
    }
    case 'unknownKey':
      if (!Array.isArray(parent)) container[m.key] = 'surprise';
      return;
    case 'numericString':
      container[key] = m.text;
      return;
  }
}

/** A payload for the bad-input property: random JSON (1 in 6), or a typical payload with 1–3 mutations. */
export const badPayload: fc.Arbitrary<{ payload: Json; mutations: Mutation[] | 'random' }> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc
      .jsonValue({ maxDepth: 4 })
      .map((payload) => ({ payload: payload as Json, mutations: 'random' as const })),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({
        seed: fc.integer({ min: 1, max: 1_000_000 }),
        mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
      })
      .map(({ seed, mutations }) => {
        const factory = new PayloadFactory({
          seed,
          namespace: 'bad',
          keyBase: 1_000_000_000 + seed * 100,
          sharedPersons: 0,
          sharedLabs: 0,
        });
        const payload = factory.typical();
        for (const m of mutations) applyMutation(payload, m);
        return { payload: payload as Json, mutations };
      }),
  },
);
