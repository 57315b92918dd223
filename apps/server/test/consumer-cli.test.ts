import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, mariadbReachable, type TestDatabase } from '@upsync/sync-core/testing';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amqpReachable } from './helpers/amqp.js';
import { openTestBroker, type TestBroker, testQueues, waitFor } from './helpers/consumer.js';
import { example } from './helpers/examples.js';

const reachable = (await mariadbReachable()) && (await amqpReachable());
const SERVER = fileURLToPath(new URL('..', import.meta.url));

describe.skipIf(!reachable)('`upsync-server consume` (the real command, a child process)', () => {
  // the real command declares the queue with its defaults (single-active-consumer): the same here
  const amqp = { ...testQueues('cli'), singleActiveConsumer: true };
  let db: TestDatabase;
  let broker: TestBroker;

  beforeAll(async () => {
    db = await createTestDatabase('amqp_cli');
    broker = await openTestBroker(amqp);
  });
  afterAll(async () => {
    await broker?.close();
    await db?.drop();
  });

  it('syncs what is published, then stops cleanly on SIGTERM', async () => {
    const child = consume({
      DATABASE_URL: db.url,
      UPSYNC_AMQP_URL: amqp.url,
      UPSYNC_AMQP_QUEUE: amqp.queue,
      UPSYNC_AMQP_DEAD_LETTER_QUEUE: amqp.deadLetterQueue,
      UPSYNC_AMQP_MONITOR_PORT: '0',
      // no token configured: the probes are public on request
      UPSYNC_READY_PUBLIC: 'true',
      UPSYNC_METRICS_PUBLIC: 'true',
    });
    try {
      await waitFor(
        'the consumer',
        async () => (await broker.counts(amqp.queue)).consumerCount === 1,
        20_000,
      );
      await broker.publish([example('pyispyb-create'), 'not json']);
      const conn = await mysql.createConnection(db.url);
      try {
        await waitFor('the proposal row', async () => {
          const [rows] = await conn.query(
            "SELECT proposalId FROM Proposal WHERE proposalNumber = '20140076'",
          );
          return (rows as unknown[]).length === 1;
        });
      } finally {
        await conn.end();
      }
      await waitFor(
        'the dead letter',
        async () => (await broker.counts(amqp.deadLetterQueue)).messageCount === 1,
      );
      // the monitor: probes and Prometheus see the syncs and the consumer's own counters
      const monitor = monitorUrl(child.output());
      expect((await fetch(`${monitor}/health`)).status).toBe(200);
      expect((await fetch(`${monitor}/ready`)).status).toBe(200);
      const metrics = await (await fetch(`${monitor}/metrics`)).text();
      expect(metrics).toContain('upsync_syncs_total{outcome="synchronized"} 1');
      expect(metrics).toContain('upsync_amqp_messages_total{outcome="synced"} 1');
      expect(metrics).toContain('upsync_amqp_messages_total{outcome="dead_lettered"} 1');
      expect(metrics).toContain('upsync_amqp_connected 1');
      child.process.kill('SIGTERM');
      const [code] = await once(child.process, 'exit');
      expect(code, child.output()).toBe(0);
      const lines = child
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      expect(lines.map((l) => l.msg)).toEqual(
        expect.arrayContaining(['consuming', 'proposal synchronized', 'message dead-lettered', 'stopped']),
      );
      expect(lines.find((l) => l.msg === 'proposal synchronized')?.principal).toBe(`amqp:${amqp.queue}`);
      expect(child.output()).not.toContain('guest:guest');
      expect(await broker.counts(amqp.queue)).toEqual({ messageCount: 0, consumerCount: 0 });
    } finally {
      if (child.process.exitCode === null) child.process.kill('SIGKILL');
    }
  }, 40_000);

  it('answers its probes while the broker is unreachable: alive, not ready; /metrics behind a token on request', async () => {
    const child = consume({
      DATABASE_URL: db.url,
      UPSYNC_AMQP_URL: 'amqp://guest:guest@127.0.0.1:1', // nothing listens there
      UPSYNC_AMQP_MONITOR_PORT: '0',
      UPSYNC_API_TOKENS: 'ops:ops-secret-0123456789abcdef',
    });
    try {
      await waitFor('the monitor', async () => child.output().includes('monitor listening'), 20_000);
      const monitor = monitorUrl(child.output());
      expect((await fetch(`${monitor}/health`)).status).toBe(200);
      expect((await fetch(`${monitor}/ready`)).status).toBe(401);
      const ready = await fetch(`${monitor}/ready`, {
        headers: { Authorization: 'Bearer ops-secret-0123456789abcdef' },
      });
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'not_ready',
        detail: 'not connected to the broker',
      });
      expect((await fetch(`${monitor}/metrics`)).status).toBe(401);
      const metrics = await fetch(`${monitor}/metrics`, {
        headers: { Authorization: 'Bearer ops-secret-0123456789abcdef' },
      });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('upsync_amqp_connected 0');
    } finally {
      child.process.kill('SIGKILL');
    }
  }, 40_000);
});

/** The monitor's address, from its start-up log line. */
function monitorUrl(output: string): string {
  const line = output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; port?: number })
    .find((l) => l.msg?.startsWith('monitor listening'));
  expect(line, output).toBeDefined();
  return `http://127.0.0.1:${line!.port}`;
}

/** `upsync-server consume` as a child process with `env` (and PATH only), its output collected. */
function consume(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'consume'], {
    cwd: SERVER,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return { process: child, output: () => output };
}
