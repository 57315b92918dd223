import type { UpsyncError } from '@upsync/client';
import type { TSyncProposalInput } from '@upsync/schema';
import { galeraReachable } from '@upsync/sync-core/testing';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapConcurrent } from '../src/http-client.js';
import { integrityViolations, proposalState } from '../src/invariants.js';
import { type JsonObject, PayloadFactory } from '../src/payloads.js';
import { serverBuilt } from '../src/server-process.js';
import { BENCH_TOKEN } from '../src/upsync.js';
import {
  clusterScript,
  nodeChecksums,
  postSync,
  type Replica,
  retriesOf,
  startReplicas,
} from './galera-support.js';
import { packagesReady } from './support.js';

// /ready is not public by default (UPSYNC_READY_PUBLIC): any valid token may read it
const readyStatus = async (r: Replica) =>
  (await r.client.request('/ready', { headers: { authorization: `Bearer ${BENCH_TOKEN}` } })).status;

const available = (await packagesReady()) && serverBuilt() && (await galeraReachable());

const KILLED = 3;

async function within(ms: number, what: string, fn: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await fn().catch(() => false)) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!available)('a Galera node lost under load', () => {
  let replicas: Replica[];
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ replicas, close } = await startReplicas('galera_node_loss'));
  });
  afterAll(async () => {
    // later suites see a full cluster, whatever happened here
    await clusterScript('restart', String(KILLED)).catch(() => {});
    await close?.();
  });

  it('SIGKILL of one node during 120 syncs: its replica answers 503 and not-ready, the others keep succeeding; the node rejoins and all agree', async () => {
    const factory = new PayloadFactory({ seed: 41, namespace: 'nodeloss', sharedPersons: 12, sharedLabs: 3 });
    const payloads: JsonObject[] = Array.from({ length: 120 }, () => factory.typical());
    const victim = replicas[KILLED - 1]!;
    for (const r of replicas) expect(await readyStatus(r)).toBe(200);

    let done = 0;
    let killed: Promise<string> | undefined;
    const results = await mapConcurrent(payloads, 12, async (payload, i) => {
      const replica = replicas[i % replicas.length]!;
      // the killed node's replica: no client retries (its answers are the point); the others: the SDK's
      // the killed node's replica: raw HTTP, no retries (its answers are the point); the
      // survivors: the SDK with its retries, as a portal would call them
      const out =
        replica === victim
          ? await postSync(replica.client, payload).then((res) => ({ status: res.status, text: res.text }))
          : await replica.sdk.syncProposal(payload as unknown as TSyncProposalInput).then(
              (result) => ({ status: 200, text: JSON.stringify(result) }),
              (error: UpsyncError) => ({
                status: error.status ?? 0,
                text: `${error.code}: ${error.message}`,
              }),
            );
      if (++done === 40) killed = clusterScript('kill', String(KILLED));
      return { replica: replica.node, payload, res: out };
    });
    await killed;

    const onVictim = results.filter((r) => r.replica === KILLED);
    const onSurvivors = results.filter((r) => r.replica !== KILLED);
    const summary = (rs: typeof results) => {
      const counts: Record<number, number> = {};
      for (const r of rs) counts[r.res.status] = (counts[r.res.status] ?? 0) + 1;
      return JSON.stringify(counts);
    };
    console.info(
      `node loss: killed node's replica ${summary(onVictim)}, survivors ${summary(onSurvivors)} (SDK retries ${replicas.map((r) => r.sdkRetries).join('/')}); server retries ${JSON.stringify(await Promise.all(replicas.filter((r) => r !== victim).map((r) => retriesOf(r.client))))}`,
    );
    // the killed node's replica: 200 (committed) or a retryable 503, nothing else
    for (const r of onVictim) {
      const internal = victim.server
        .output()
        .split('\n')
        .filter((l) => l.includes('internal error'))
        .map((l) => l.slice(0, 1500));
      expect([200, 503], `${r.res.text.slice(0, 300)}\n${internal.join('\n')}`).toContain(r.res.status);
      if (r.res.status === 503) expect(JSON.parse(r.res.text)).toMatchObject({ retryable: true });
      expect(r.res.text).not.toMatch(/ECONNREFUSED|WSREP|ER_[A-Z_]+|127\.0\.0\.1|\n\s+at /);
    }
    expect(
      onVictim.some((r) => r.res.status === 503),
      'the killed node never showed',
    ).toBe(true);
    // the survivors: every payload ends 200 (a membership change is retried, never a 400 or 500)
    expect(
      onSurvivors
        .filter((r) => r.res.status !== 200)
        .map((r) => `${r.res.status} ${r.res.text.slice(0, 300)}`),
    ).toEqual([]);

    await within(
      15_000,
      '/ready of the killed node’s replica turns 503',
      async () => (await readyStatus(victim)) === 503,
    );

    const rejoin = Date.now();
    const out = await clusterScript('restart', String(KILLED));
    expect(out).toMatch(/IST|State transfer/);
    await within(
      30_000,
      '/ready of the rejoined node’s replica',
      async () => (await readyStatus(victim)) === 200,
    );
    console.info(
      `node loss: node ${KILLED} rejoined and its replica ready in ${Date.now() - rejoin} ms (${out.trim().split('\n').pop()})`,
    );

    // the payloads that failed succeed when sent again, on the replica that refused them
    const failed = onVictim.filter((r) => r.res.status !== 200);
    await victim.conn.end().catch(() => {});
    victim.conn = await mysql.createConnection(victim.url);
    for (const r of failed) await victim.sdk.syncProposal(r.payload as unknown as TSyncProposalInput);

    // all three nodes, the rejoined one included
    const conns = replicas.map((r) => r.conn);
    expect(new Set(await nodeChecksums(conns)).size).toBe(1);
    for (const c of conns) expect(await integrityViolations(c)).toEqual({});
    for (const r of results) expect(await proposalState(conns[0]!, r.payload)).toBe('complete');
  });
});
