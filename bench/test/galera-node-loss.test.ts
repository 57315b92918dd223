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

/**
 * The scenario runs this many times (UPSYNC_NODE_LOSS_RUNS, default 5), killing node 3, 2, 1, 3, 2:
 * a view change is timing-dependent, and one clean run proved little (the issue saw survivors
 * fail in 3 runs of 5 when the retries lasted ~3.5 s, shorter than the view change).
 */
const RUNS = Number(process.env.UPSYNC_NODE_LOSS_RUNS ?? 5);
/** Syncs per run, at this concurrency; the node dies after the first KILL_AFTER have answered. */
const SYNCS = 48;
const CONCURRENCY = 12;
const KILL_AFTER = 16;

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
  const started = Date.now();

  beforeAll(async () => {
    ({ replicas, close } = await startReplicas('galera_node_loss'));
  });
  afterAll(async () => {
    // later suites see a full cluster, whatever happened here
    await clusterScript('start').catch(() => {});
    await close?.();
    console.info(`node loss: ${RUNS} runs in ${Math.round((Date.now() - started) / 1000)} s`);
  });

  for (let run = 1; run <= RUNS; run++) {
    const killed = 3 - ((run - 1) % 3);
    it(`run ${run} of ${RUNS}: SIGKILL of node ${killed} during ${SYNCS} syncs — every sync on the survivors answers 200, the killed node's replica 200 or a retryable 503; the node rejoins, every 200 is in the database, all nodes agree`, async () => {
      const t0 = Date.now();
      // an earlier run that failed half-way may have left its node down
      await clusterScript('start');
      const factory = new PayloadFactory({
        seed: 40 + run,
        namespace: `nodeloss${run}`,
        sharedPersons: 12,
        sharedLabs: 3,
      });
      const payloads: JsonObject[] = Array.from({ length: SYNCS }, () => factory.typical());
      const victim = replicas[killed - 1]!;
      for (const r of replicas) expect(await readyStatus(r)).toBe(200);
      const retriesBefore = await Promise.all(replicas.map((r) => retriesOf(r.client)));

      // raw HTTP everywhere, no client retries: the server's own answers are the point
      let done = 0;
      let kill: Promise<string> | undefined;
      const results = await mapConcurrent(payloads, CONCURRENCY, async (payload, i) => {
        const replica = replicas[i % replicas.length]!;
        const res = await postSync(replica.client, payload).then(
          (r) => ({ status: r.status, text: r.text, ms: r.ms }),
          (error: Error) => ({ status: 0, text: error.message, ms: 0 }),
        );
        if (++done === KILL_AFTER) kill = clusterScript('kill', String(killed));
        return { replica: replica.node, payload, res };
      });
      await kill;
      const loadMs = Date.now() - t0;

      const onVictim = results.filter((r) => r.replica === killed);
      const onSurvivors = results.filter((r) => r.replica !== killed);
      const summary = (rs: typeof results) => {
        const counts: Record<number, number> = {};
        for (const r of rs) counts[r.res.status] = (counts[r.res.status] ?? 0) + 1;
        return JSON.stringify(counts);
      };
      const retried = await Promise.all(
        replicas
          .filter((r) => r !== victim)
          .map(async (r) => {
            const now = await retriesOf(r.client);
            const before = retriesBefore[r.node - 1]!;
            return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - (before[k] ?? 0)]));
          }),
      );
      console.info(
        `node loss run ${run}: node ${killed} killed; its replica ${summary(onVictim)}, survivors ${summary(onSurvivors)} (slowest ${Math.round(Math.max(...onSurvivors.map((r) => r.res.ms)))} ms); survivors' server retries ${JSON.stringify(retried)}`,
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
      // the survivors: every sync answers 200 the first time (a membership change is retried
      // inside the server's retry budget, never a 503, 400 or 500)
      expect(
        onSurvivors
          .filter((r) => r.res.status !== 200)
          .map((r) => `node ${r.replica}: ${r.res.status} ${r.res.text.slice(0, 300)}`),
      ).toEqual([]);

      await within(
        15_000,
        '/ready of the killed node’s replica turns 503',
        async () => (await readyStatus(victim)) === 503,
      );

      const rejoin = Date.now();
      const out = await clusterScript('restart', String(killed));
      expect(out).toMatch(/IST|State transfer|rejoined/);
      await within(
        30_000,
        '/ready of the rejoined node’s replica',
        async () => (await readyStatus(victim)) === 200,
      );
      const rejoinMs = Date.now() - rejoin;

      // the payloads that failed succeed when sent again, on the replica that refused them
      const failed = onVictim.filter((r) => r.res.status !== 200);
      await victim.conn.end().catch(() => {});
      victim.conn = await mysql.createConnection(victim.url);
      for (const r of failed) await victim.sdk.syncProposal(r.payload as unknown as TSyncProposalInput);

      // all three nodes, the rejoined one included: the same rows, intact, every 200 complete
      const conns = replicas.map((r) => r.conn);
      expect(new Set(await nodeChecksums(conns)).size).toBe(1);
      for (const c of conns) expect(await integrityViolations(c)).toEqual({});
      for (const r of results) expect(await proposalState(conns[0]!, r.payload)).toBe('complete');
      console.info(
        `node loss run ${run}: load ${loadMs} ms, rejoin and ready ${rejoinMs} ms, ${failed.length} resent, run ${Date.now() - t0} ms (${out.trim().split('\n').pop()})`,
      );
    }, 120_000);
  }
});
