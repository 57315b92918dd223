import type { TSyncResult } from '@upsync/schema';
import { SyncError } from '@upsync/sync-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Consumer, startConsumer } from '../src/consumer/consumer.js';
import { createLogger } from '../src/logger.js';
import type { SyncService } from '../src/trpc/context.js';
import { amqpReachable, TEST_AMQP_URL } from './helpers/amqp.js';
import { openTestBroker, proposalPayload, type TestBroker, testQueues, waitFor } from './helpers/consumer.js';
import { cuttableProxy } from './helpers/tcp-proxy.js';

const reachable = await amqpReachable();

/** A sync service whose answers the test scripts: no database involved. */
function scriptedSync(
  answer: (call: number, payload: unknown) => Promise<void>,
): Pick<SyncService, 'sync'> & { calls: number; reconciles: boolean[] } {
  const service = {
    calls: 0,
    reconciles: [] as boolean[],
    async sync(payload: unknown, options: { reconcile: boolean }) {
      service.calls++;
      service.reconciles.push(options.reconcile);
      await answer(service.calls, payload);
      return {} as TSyncResult;
    },
  };
  return service;
}

const failure = (code: 'INTERNAL' | 'DATABASE_UNAVAILABLE' | 'IDENTITY_CONFLICT', retryable = false) =>
  new SyncError(code, `scripted ${code}`, { retryable });

describe.skipIf(!reachable)('the RabbitMQ consumer: retry, dead-letter, stop, reconnect', () => {
  const amqp = testQueues('retry');
  let broker: TestBroker;
  let consumer: Consumer | undefined;
  const logger = createLogger({ level: process.env.TEST_LOG ?? 'silent' });
  const start = (sync: Pick<SyncService, 'sync'>, url = amqp.url) =>
    startConsumer({
      amqp: { ...amqp, url },
      sync,
      logger,
      retry: { initialDelayMs: 20, maxDelayMs: 100 },
      reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    });

  beforeAll(async () => {
    broker = await openTestBroker(amqp);
  });
  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    await broker.drain(amqp.deadLetterQueue);
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('retries a transient failure in place, then acks', async () => {
    const sync = scriptedSync(async (call) => {
      if (call <= 2) throw failure('DATABASE_UNAVAILABLE', true);
    });
    consumer = await start(sync);
    await broker.publish([proposalPayload(1)]);
    await waitFor('the sync', () => consumer?.stats.synced === 1);
    expect(sync.calls).toBe(3);
    expect(sync.reconciles).toEqual([false, false, false]);
    expect(consumer.stats).toMatchObject({ retries: 2, deadLettered: 0 });
    expect(await broker.counts(amqp.deadLetterQueue)).toMatchObject({ messageCount: 0 });
  });

  it('dead-letters a payload fault at once, an unexpected failure after UPSYNC_AMQP_MAX_ATTEMPTS', async () => {
    const sync = scriptedSync(async (_call, payload) => {
      const n = (payload as { proposal: { proposalNumber: string } }).proposal.proposalNumber;
      throw n === '5001' ? failure('IDENTITY_CONFLICT') : failure('INTERNAL');
    });
    consumer = await start(sync);
    await broker.publish([proposalPayload(1), proposalPayload(2)]);
    await waitFor('both dead-lettered', () => consumer?.stats.deadLettered === 2);
    expect(sync.calls).toBe(1 + amqp.maxAttempts);
    const dead = await broker.drain(amqp.deadLetterQueue);
    expect(
      dead.map((m) => [
        m.properties.headers?.['x-upsync-error-code'],
        m.properties.headers?.['x-upsync-attempts'],
      ]),
    ).toEqual([
      ['IDENTITY_CONFLICT', 1],
      ['INTERNAL', amqp.maxAttempts],
    ]);
    expect(dead[0]?.properties.headers?.['x-upsync-error-detail']).toBe('scripted IDENTITY_CONFLICT');
    expect(await broker.counts(amqp.queue)).toMatchObject({ messageCount: 0 });
  });

  it('stop() lets the message in progress finish and be acked; the rest stay in the queue', async () => {
    let release: () => void = () => undefined;
    const sync = scriptedSync((call) =>
      call === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve(),
    );
    consumer = await start(sync);
    await broker.publish([proposalPayload(1), proposalPayload(2), proposalPayload(3)]);
    await waitFor('the first sync to start', () => sync.calls === 1);
    const stopped = consumer.stop();
    setTimeout(() => release(), 200);
    await stopped;
    expect(consumer.stats).toMatchObject({ synced: 1, abandoned: 0 });
    expect(sync.calls).toBe(1);
    expect(await broker.counts(amqp.queue)).toEqual({ messageCount: 2, consumerCount: 0 });
    await broker.channel.purgeQueue(amqp.queue);
  });

  it('stop() during a retry wait hands the message back unacked', async () => {
    const sync = scriptedSync(async () => {
      throw failure('DATABASE_UNAVAILABLE', true);
    });
    consumer = await start(sync);
    await broker.publish([proposalPayload(1)]);
    await waitFor('a retry', () => (consumer?.stats.retries ?? 0) >= 1);
    await consumer.stop();
    expect(consumer.stats).toMatchObject({ synced: 0, deadLettered: 0, abandoned: 1 });
    expect(await broker.counts(amqp.queue)).toEqual({ messageCount: 1, consumerCount: 0 });
    await broker.channel.purgeQueue(amqp.queue);
  });

  it('reconnects when the broker cancels it (queue deleted) and declares the topology again', async () => {
    const sync = scriptedSync(async () => undefined);
    consumer = await start(sync);
    await broker.channel.deleteQueue(amqp.queue);
    await waitFor('a second connection', () => consumer?.stats.connections === 2);
    await broker.publish([proposalPayload(1)]);
    await waitFor('the sync', () => consumer?.stats.synced === 1);
  });

  it('reconnects after losing the broker connection; the message in hand is redelivered, not lost', async () => {
    const via = new URL(TEST_AMQP_URL);
    const proxy = await cuttableProxy(via.hostname, Number(via.port || 5672));
    via.host = `127.0.0.1:${proxy.port}`;
    let release: () => void = () => undefined;
    const sync = scriptedSync((call) =>
      call === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve(),
    );
    try {
      consumer = await start(sync, via.toString());
      await broker.publish([proposalPayload(1)]);
      await waitFor('the first sync to start', () => sync.calls === 1);
      await proxy.cut();
      await waitFor('the loss noticed', () => consumer?.stats.disconnects === 1);
      release(); // its ack cannot reach the broker any more
      await waitFor('the message given up', () => consumer?.stats.abandoned === 1);
      await proxy.restore();
      await waitFor('the redelivered message synced', () => consumer?.stats.synced === 1, 20_000);
      expect(sync.calls).toBe(2);
      expect(consumer.stats.connections).toBe(2);
    } finally {
      await proxy.restore();
    }
  }, 30_000);

  it('with prefetch above 1 syncs one proposal in order and other proposals alongside', async () => {
    const events: string[] = [];
    const sync = scriptedSync(async (_call, payload) => {
      const { proposalNumber, title } = (payload as { proposal: { proposalNumber: string; title: string } })
        .proposal;
      events.push(`start ${proposalNumber} ${title}`);
      await new Promise((resolve) => setTimeout(resolve, title === 'v1' ? 300 : 10));
      events.push(`end ${proposalNumber} ${title}`);
    });
    consumer = await startConsumer({
      amqp: { ...amqp, prefetch: 3 },
      sync,
      logger,
      retry: { initialDelayMs: 20, maxDelayMs: 100 },
    });
    await broker.publish([proposalPayload(1, 'v1'), proposalPayload(2, 'other'), proposalPayload(1, 'v2')]);
    await waitFor('all three', () => consumer?.stats.synced === 3);
    // 5002 ran while 5001 v1 was in progress; 5001 v2 only after v1 had finished
    expect(events.indexOf('end 5002 other')).toBeLessThan(events.indexOf('end 5001 v1'));
    expect(events.indexOf('start 5001 v2')).toBeGreaterThan(events.indexOf('end 5001 v1'));
  });

  it('refuses to start on a wrong password or a queue declared with other arguments', async () => {
    const sync = scriptedSync(async () => undefined);
    const wrong = new URL(TEST_AMQP_URL);
    wrong.password = 'not-the-password';
    await expect(start(sync, wrong.toString())).rejects.toThrow(/ACCESS.REFUSED/);
    await expect(
      startConsumer({ amqp: { ...amqp, singleActiveConsumer: true }, sync, logger }),
    ).rejects.toThrow(/UPSYNC_AMQP_SINGLE_ACTIVE_CONSUMER/);
  });

  it('reconciles when the message says so (header x-upsync-reconcile: true)', async () => {
    const sync = scriptedSync(async () => undefined);
    consumer = await start(sync);
    const body = Buffer.from(JSON.stringify(proposalPayload(1)));
    broker.channel.sendToQueue(amqp.queue, body, { headers: { 'x-upsync-reconcile': true } });
    await broker.channel.waitForConfirms();
    await waitFor('the sync', () => consumer?.stats.synced === 1);
    expect(sync.reconciles).toEqual([true]);
  });

  it('ignores the reconcile header (with a warning) unless UPSYNC_AMQP_RECONCILE=true', async () => {
    const sync = scriptedSync(async () => undefined);
    const lines: Record<string, unknown>[] = [];
    consumer = await startConsumer({
      amqp: { ...amqp, reconcile: false },
      sync,
      logger: createLogger({
        level: 'info',
        destination: { write: (l: string) => void lines.push(JSON.parse(l)) },
      }),
      retry: { initialDelayMs: 20, maxDelayMs: 100 },
      reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    });
    const body = Buffer.from(JSON.stringify(proposalPayload(1)));
    broker.channel.sendToQueue(amqp.queue, body, { headers: { 'x-upsync-reconcile': true } });
    await broker.channel.waitForConfirms();
    await waitFor('the sync', () => consumer?.stats.synced === 1);
    expect(sync.reconciles).toEqual([false]);
    expect(lines.some((l) => l.level === 40 && String(l.msg).startsWith('reconcile header ignored'))).toBe(
      true,
    );
  });
});
