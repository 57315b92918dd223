import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { TParseResult } from '../src/index.js';

const EXAMPLES = new URL('../../../examples/', import.meta.url);

/** Names of every example payload in examples/ (the repository root). */
export const EXAMPLE_NAMES = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

/** A fresh copy of one of examples/*.json (the repository root). */
// biome-ignore lint/suspicious/noExplicitAny: payloads are mutated freely in tests
export function example(name: string): any {
  return JSON.parse(readFileSync(new URL(`${name}.json`, EXAMPLES), 'utf8'));
}

/** The errors of a failed parse (fails the test on success). */
export function errorsOf(result: TParseResult) {
  if (result.success) throw new Error('expected the parse to fail');
  return result.errors;
}

/** The one error at `path` (fails the test when there is none). */
export function errorAt(result: TParseResult, path: string) {
  const errors = errorsOf(result);
  const found = errors.find((e) => e.path === path);
  expect(found, `no error at ${path}; errors: ${JSON.stringify(errors)}`).toBeDefined();
  return found!;
}

/** The data of a successful parse (fails the test with the errors otherwise). */
export function dataOf(result: TParseResult) {
  if (!result.success) throw new Error(`expected success, got ${JSON.stringify(result.errors, null, 1)}`);
  return result.data;
}
