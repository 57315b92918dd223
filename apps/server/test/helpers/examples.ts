import { readFileSync } from 'node:fs';

const EXAMPLES = new URL('../../../../examples/', import.meta.url);

// biome-ignore lint/suspicious/noExplicitAny: tests edit the example payloads freely
type Payload = any;

/** A fresh copy of one of the shared example payloads. */
export function example(name: 'pyispyb-create' | 'pyispyb-update'): Payload {
  return JSON.parse(readFileSync(new URL(`${name}.json`, EXAMPLES), 'utf8'));
}
