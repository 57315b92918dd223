import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * The stages of a request, each recognised by the script its code lives in. A sample goes to the
 * first stage found walking its stack from the innermost frame out: Node's own HTTP code called
 * by Express's `res.send` counts as the answer, sync-core called by the tRPC caller as sync-core.
 */
const STAGES: [string, RegExp][] = [
  [
    'sync-core (validation, ORM, driver)',
    /packages\/(sync-core|schema)\/|@mikro-orm|\/kysely\/|mysql2|sql-escaper|\/zod\/|lru\.min|denque|named-placeholders|generate-function|\/long\//,
  ],
  ['logging (pino)', /\/pino\/|sonic-boom|@pinojs|pino-std-serializers|quick-format|safe-stable-stringify/],
  ['metrics (prom-client)', /prom-client|bintrees|tdigest/],
  ['sync service (log line, metrics, history)', /server\/dist\/(sync-service|history-recorder|metrics)\.js/],
  ['tRPC caller', /@trpc\/server|server\/dist\/(router|trpc\/|wire)/],
  [
    'body (read, UTF-8, depth, JSON.parse)',
    /body-parser|raw-body|iconv-lite|json-body\.js|json-depth\.js|\/content-type\/|type-is|media-typer|mime-/,
  ],
  ['security headers (helmet)', /\/helmet\//],
  ['rate limits', /express-rate-limit/],
  ['request signal', /request-signal\.js/],
  ['authentication', /server\/dist\/auth\/|require-auth\.js|rate-limit\.js/],
  ['request log', /request-log\.js/],
  ['errors', /server\/dist\/errors\/|error-middleware\.js|http-errors/],
  ['route (query, flags)', /rest\/userportalsync\.js/],
  ['answer (res.json, send)', /express\/lib\/response|\/etag\/|\/fresh\//],
  ['express routing', /\/express\/|\/router\/|path-to-regexp|parseurl|finalhandler|on-finished/],
];

/**
 * CPU ms per request by stage, from a V8 CPU profile of the server, counting only the samples taken
 * between `fromUs` and `toUs` (CLOCK_MONOTONIC in µs, the clock of both V8's profile and
 * process.hrtime on Linux). Samples in no stage: Node's own code (HTTP parser, sockets, streams,
 * promise jobs), garbage collection, V8 itself.
 */
export async function stagesOf(
  file: string,
  fromUs: number,
  toUs: number,
  requests: number,
): Promise<[string, number][]> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const msPerSample = (profile.endTime - profile.startTime) / profile.samples.length / 1000;
  const counts = new Map<string, number>();
  let at = profile.startTime;
  for (const [i, sample] of profile.samples.entries()) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromUs || at > toUs) continue;
    const leaf = nodes.get(sample)!.callFrame.functionName;
    if (leaf === '(idle)') continue;
    let stage: string | undefined =
      leaf === '(garbage collector)'
        ? 'garbage collection'
        : leaf === '(program)'
          ? 'V8 (program)'
          : undefined;
    for (let id: number | undefined = sample; stage === undefined && id !== undefined; id = parent.get(id)) {
      const { url } = nodes.get(id)!.callFrame;
      if (url) stage = STAGES.find(([, pattern]) => pattern.test(url))?.[0];
    }
    stage ??= "Node's own (HTTP, sockets, streams, promise jobs)";
    counts.set(stage, (counts.get(stage) ?? 0) + 1);
  }
  return [...counts]
    .map(([stage, n]): [string, number] => [stage, (n * msPerSample) / requests])
    .sort((a, b) => b[1] - a[1]);
}
