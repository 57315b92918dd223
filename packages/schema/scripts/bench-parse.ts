/**
 * Micro-benchmark of one `createSyncProposalParser` parse, the per-request validation cost of the
 * server. Builds the parser once (as sync-core does) and prints CPU µs per parse, after warm-up, for
 * the typical payload (examples/pyispyb-create.json), a larger one (10 persons, 5 sessions),
 * and the typical one with datetimes never seen before (the parser remembers the datetimes it
 * converted, and a repeated payload always hits). Not part of the tests; numbers are only comparable
 * on the same machine and load.
 *
 *   cd packages/schema && npx tsx scripts/bench-parse.ts [iterations=20000] [--entry=../dist/index.js]
 *   npx tsx --cpu-prof --cpu-prof-dir=/tmp/prof scripts/bench-parse.ts   # to see where time goes
 *
 * `--entry` (resolved from this script) measures a build instead of src: tsx compiles with
 * keepNames, which wraps every closure creation and inflates the closure-heavy code paths.
 */
import { readFileSync } from 'node:fs';
import type * as Schema from '../src/index.js';

const args = process.argv.slice(2);
const entry = args.find((a) => a.startsWith('--entry='))?.slice('--entry='.length) ?? '../src/index.js';
const { createSyncProposalParser }: typeof Schema = await import(new URL(entry, import.meta.url).href);
const ITERATIONS = Number(args.find((a) => !a.startsWith('--')) ?? 20_000);
const WARMUP = 2_000;
const BATCHES = 10;

// biome-ignore lint/suspicious/noExplicitAny: a JSON payload, reshaped freely below
const example = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../../../examples/${name}.json`, import.meta.url), 'utf8'));

/** The typical payload grown to 10 proposal persons and 5 sessions (persons shared with the proposal). */
function largePayload() {
  const base = example('pyispyb-create');
  const labs = [base.proposal.persons[0].laboratory, base.proposal.persons[1].laboratory];
  const persons = Array.from({ length: 10 }, (_, i) => ({
    givenName: `Given${i}`,
    familyName: `Family${i}`,
    externalId: 1000 + i,
    login: `login${i}`,
    emailAddress: `person${i}@example.org`,
    ...(i % 3 === 2 ? {} : { laboratory: { ...labs[i % 2] } }),
  }));
  base.proposal.persons = persons;
  const template = base.sessions[0];
  base.sessions = Array.from({ length: 5 }, (_, s) => ({
    ...template,
    externalId: 23_000 + s,
    startDate: `2022-0${s + 3}-20T14:09:20.340Z`,
    endDate: `2022-0${s + 3}-21T14:09:20.340+02:00`,
    persons: [0, 1, 2].map((k) => ({
      ...persons[(s + k) % 10],
      session_options: { role: k === 0 ? 'Local Contact' : 'Principal Investigator', remote: k % 2 },
    })),
  }));
  return base;
}

// The server's shape of options: live limits (the defaults here), a facility zone with DST.
const parse = createSyncProposalParser({ unknownKeys: 'reject', timeZone: 'Europe/Berlin' });

/** The typical payload many times over, each copy with session datetimes of its own. */
function unseenDatetimes(count: number) {
  const base = example('pyispyb-create');
  return Array.from({ length: count }, (_, k) => {
    const at = (hours: number) => new Date(Date.UTC(2022, 0, 1) + (k * 7 + hours) * 3_600_000 + k * 1000);
    return {
      ...base,
      // biome-ignore lint/suspicious/noExplicitAny: a JSON payload
      sessions: base.sessions.map((session: any, s: number) => ({
        ...session,
        startDate: at(s * 3).toISOString(),
        endDate: at(s * 3 + 1).toISOString(),
      })),
    };
  });
}

function bench(name: string, payloads: unknown[]) {
  for (const payload of payloads.slice(0, 3)) {
    const check = parse(structuredClone(payload));
    if (!check.success) throw new Error(`${name} does not parse: ${JSON.stringify(check.errors)}`);
  }
  // The parser never mutates its input (merged persons are new objects), so payloads are reused.
  for (let i = 0; i < WARMUP; i++) parse(payloads[i % payloads.length]);
  // Timed in batches, in process CPU time (the parse is synchronous, so wall time only adds the
  // scheduling noise of a shared machine); the median batch is steadier than the mean.
  const batch = Math.ceil(ITERATIONS / BATCHES);
  const perParse: number[] = [];
  let next = 0;
  for (let b = 0; b < BATCHES; b++) {
    const start = process.cpuUsage();
    for (let i = 0; i < batch; i++) parse(payloads[next++ % payloads.length]);
    const used = process.cpuUsage(start);
    perParse.push((used.user + used.system) / batch);
  }
  perParse.sort((a, c) => a - c);
  const median = perParse[Math.floor(BATCHES / 2)]!;
  const mean = perParse.reduce((sum, x) => sum + x, 0) / BATCHES;
  console.log(
    `${name.padEnd(34)} median ${median.toFixed(1).padStart(6)} µs CPU/parse  (mean ${mean.toFixed(1)}, best ${perParse[0]!.toFixed(1)})`,
  );
}

bench('pyispyb-create (typical)', [example('pyispyb-create')]);
bench('large (10 persons, 5 sessions)', [largePayload()]);
// 8192 datetimes taken in turn, twice what the parser remembers: each is converted afresh.
bench('typical, unseen datetimes', unseenDatetimes(2048));
