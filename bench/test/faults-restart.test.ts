import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PayloadFactory } from '../src/payloads.js';
import { PrivateMariaDb } from '../src/private-mariadb.js';
import { type Harness, startHarness } from './harness.js';
import { packagesReady } from './support.js';

// A private mariadbd (own datadir and port): the shared server on 3306 is never stopped.
const binaries = await PrivateMariaDb.available();
if (!binaries) {
  const message = 'mariadbd / mariadb-install-db not found: the restart fault test cannot run';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n*** SKIPPING: ${message} ***\n`);
}
const available = binaries && (await packagesReady());

/** Polls `fn` until it returns true (every 200 ms, at most `ms`); returns the time it took. */
async function within(ms: number, fn: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await fn().catch(() => false)) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!available)('faults: MariaDB stopped and restarted while the server runs', () => {
  let mariadb: PrivateMariaDb;
  let h: Harness;
  const factory = new PayloadFactory({ seed: 9, namespace: 'rst', sharedPersons: 0, sharedLabs: 1 });

  beforeAll(async () => {
    mariadb = await PrivateMariaDb.create();
    h = await startHarness('restart', {}, mariadb.url);
  });
  afterAll(async () => {
    // the harness drops its database: bring the server back first if a test left it down
    await mariadb?.start().catch(() => {});
    await h?.close().catch(() => {});
    await mariadb?.destroy();
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`${signal === 'SIGKILL' ? 'crash' : 'clean stop'}: /ready and syncs answer 503, then recover without a restart`, async () => {
      expect(
        (await h.client.request('/ready', { headers: { authorization: `Bearer ${h.server.token}` } })).status,
      ).toBe(200);
      expect((await h.sync(factory.typical())).status).toBe(200);

      await mariadb.stop(signal);
      const notReadyAfter = await within(
        15_000,
        async () =>
          (await h.client.request('/ready', { headers: { authorization: `Bearer ${h.server.token}` } }))
            .status === 503,
      );
      const t = Date.now();
      const failed = await h.sync(factory.typical());
      const failMs = Date.now() - t;
      expect(failed.status, failed.text).toBe(503);
      expect(failed.headers['retry-after']).toBeDefined();
      expect(failed.text).not.toMatch(/ECONNREFUSED|connect|127\.0\.0\.1|\n\s+at /i);
      expect(failMs).toBeLessThan(15_000);
      expect((await h.client.request('/health')).status).toBe(200);

      await mariadb.start();
      const readyAfter = await within(
        30_000,
        async () =>
          (await h.client.request('/ready', { headers: { authorization: `Bearer ${h.server.token}` } }))
            .status === 200,
      );
      const recoveredAfter = await within(
        30_000,
        async () => (await h.sync(factory.typical())).status === 200,
      );
      console.info(
        `restart (${signal}): /ready 503 after ${notReadyAfter} ms, sync failed in ${failMs} ms, ready again ${readyAfter} ms and syncing ${recoveredAfter} ms after the restart`,
      );
    });
  }
});
