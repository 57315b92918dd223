import { describe, expect, it } from 'vitest';
import {
  GALERA_DEFAULT_INACTIVE_MS,
  GALERA_DEFAULT_SUSPECT_MS,
  galeraPolicy,
  isoDurationMs,
  retryBudget,
  SINGLE_SERVER_POLICY,
} from '../src/db/retry-budget.js';
import { closeOrm, createOrm } from '../src/index.js';
import { internalsOf } from '../src/orm/internals.js';
import { createTestDatabase, galeraReachable, testGaleraUrls } from '../src/testing/index.js';
import { MARIADB } from './support/targets.js';

// the test cluster's value as `SHOW VARIABLES LIKE 'wsrep_provider_options'` gives it (shortened)
const TEST_CLUSTER =
  'base_dir = /tmp/upsync-galera/node1/data/; evs.inactive_check_period = PT0.5S; evs.inactive_timeout = PT6S; evs.install_timeout = PT3S; evs.suspect_timeout = PT3S; gcache.size = 32M';

describe('the retry budget', () => {
  it("reads Galera's ISO 8601 durations", () => {
    expect(isoDurationMs('PT3S')).toBe(3_000);
    expect(isoDurationMs('PT0.5S')).toBe(500);
    expect(isoDurationMs('PT1M30S')).toBe(90_000);
    expect(isoDurationMs('P1D')).toBe(86_400_000);
    for (const bad of ['', 'P', 'PT', '3S', 'PTxS']) expect(isoDurationMs(bad)).toBeUndefined();
  });

  it("covers the cluster's own view change: inactive + suspect timeouts, else Galera's defaults", () => {
    expect(galeraPolicy(TEST_CLUSTER).budgetMs).toBe(9_000);
    expect(galeraPolicy(undefined).budgetMs).toBe(GALERA_DEFAULT_INACTIVE_MS + GALERA_DEFAULT_SUSPECT_MS);
    expect(galeraPolicy('gcache.size = 32M; evs.suspect_timeout = nonsense').budgetMs).toBe(20_000);
    // longer than the count-bounded backoff of a single server (~3.5 s), which the issue saw run out
    expect(galeraPolicy(TEST_CLUSTER).maxAttempts).toBeGreaterThan(SINGLE_SERVER_POLICY.maxAttempts);
  });

  it('stops at the attempt count, at the time budget, and when the signal aborts', async () => {
    const single = retryBudget(SINGLE_SERVER_POLICY);
    expect(single.nextDelay(7)).toBeGreaterThanOrEqual(0);
    expect(single.nextDelay(8)).toBeUndefined();

    const timed = retryBudget({ maxAttempts: 100, budgetMs: 150 });
    expect(timed.nextDelay(1)).toBeDefined();
    await new Promise((r) => setTimeout(r, 160));
    expect(timed.nextDelay(2)).toBeUndefined();

    const controller = new AbortController();
    const deadline = retryBudget({ maxAttempts: 100, budgetMs: 60_000 }, controller.signal);
    const waiting = deadline.wait(5_000);
    controller.abort(new Error('deadline'));
    expect(await waiting).toBe(false);
    expect(deadline.nextDelay(2)).toBeUndefined();
  });
});

const cluster = await galeraReachable();
const galeraNode = testGaleraUrls()[0]!;

describe.skipIf(!cluster)('the retry budget of a Galera node', () => {
  it("is read from the node's own wsrep_provider_options (the test cluster: PT6S + PT3S = 9 s); a single MariaDB keeps its count", async () => {
    const db = await createTestDatabase('budget', { serverUrl: galeraNode });
    try {
      const orm = await createOrm({ databaseUrl: db.url });
      try {
        const [row] = await internalsOf(orm)
          .orm.em.getConnection()
          .execute<{ Value: string }[]>("SHOW VARIABLES LIKE 'wsrep_provider_options'");
        expect(internalsOf(orm).retryPolicy).toEqual(galeraPolicy(row!.Value));
        // scripts/galera-cluster.sh sets evs.suspect_timeout=PT3S, evs.inactive_timeout=PT6S
        expect(internalsOf(orm).retryPolicy.budgetMs).toBe(9_000);
      } finally {
        await closeOrm(orm);
      }
    } finally {
      await db.drop();
    }
  });
});

describe.skipIf(MARIADB.skip)('the retry budget of a single MariaDB', () => {
  it('is the attempt count, as before (deadlocks and lock waits clear within a few attempts)', async () => {
    const db = await MARIADB.database('budget');
    try {
      const orm = await createOrm({ databaseUrl: db.url });
      expect(internalsOf(orm).retryPolicy).toEqual(SINGLE_SERVER_POLICY);
      await closeOrm(orm);
    } finally {
      await db.drop();
    }
  });
});
