import { randomBytes } from 'node:crypto';
import { closeOrm, createOrm, type UpsyncOrm } from '@upsync/sync-core';
import { type ChannelModel, type ConfirmChannel, connect, type GetMessage } from 'amqplib';
import type { AmqpConfig } from '../../src/config.js';
import { type Consumer, startConsumer } from '../../src/consumer/consumer.js';
import { assertTopology } from '../../src/consumer/topology.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createSyncService } from '../../src/sync-service.js';
import { TEST_AMQP_URL } from './amqp.js';

/** Unique queue names for one test file run. */
export function testQueues(name: string): AmqpConfig & { url: string } {
  const queue = `upsync.test.${name}.${randomBytes(4).toString('hex')}`;
  return {
    url: TEST_AMQP_URL,
    queue,
    deadLetterQueue: `${queue}.dead`,
    prefetch: 1,
    maxAttempts: 3,
    singleActiveConsumer: false,
    reconcile: true,
    monitorPort: undefined,
  };
}

export interface TestConsumer {
  consumer: Consumer;
  orm: UpsyncOrm;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A consumer with its own ORM (its own pool), fast retry and reconnect delays, logs captured. */
export async function startTestConsumer(
  databaseUrl: string,
  amqp: AmqpConfig & { url: string },
): Promise<TestConsumer> {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void logs.push(JSON.parse(line)) },
  });
  const orm = await createOrm({ databaseUrl });
  const sync = createSyncService({
    orm,
    config: {
      unknownKeys: 'reject',
      labContactsFromPersons: false,
      history: { storePayloads: false, retentionDays: 0 },
    },
    logger,
    metrics: createMetrics(),
    recordHistory: true,
  });
  const consumer = await startConsumer({
    amqp,
    sync,
    logger,
    retry: { initialDelayMs: 50, maxDelayMs: 400 },
    reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
    shutdownTimeoutMs: 10_000,
  });
  return {
    consumer,
    orm,
    logs,
    async close() {
      await consumer.stop();
      await closeOrm(orm);
    },
  };
}

export interface TestBroker {
  channel: ConfirmChannel;
  /** Publishes persistent messages in order and waits for the broker's confirms. */
  publish(bodies: (string | object)[]): Promise<void>;
  counts(queue: string): Promise<{ messageCount: number; consumerCount: number }>;
  /** Takes (and acks) every message of a queue. */
  drain(queue: string): Promise<GetMessage[]>;
  /** Deletes the test queues and closes the connection. */
  close(): Promise<void>;
}

export async function openTestBroker(amqp: AmqpConfig & { url: string }): Promise<TestBroker> {
  const connection: ChannelModel = await connect(amqp.url);
  const channel = await connection.createConfirmChannel();
  await assertTopology(channel, amqp);
  return {
    channel,
    async publish(bodies) {
      for (const [i, body] of bodies.entries()) {
        const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
        channel.sendToQueue(amqp.queue, content, {
          persistent: true,
          contentType: 'application/json',
          messageId: `m${i}`,
        });
      }
      await channel.waitForConfirms();
    },
    async counts(queue) {
      const { messageCount, consumerCount } = await channel.checkQueue(queue);
      return { messageCount, consumerCount };
    },
    async drain(queue) {
      const out: GetMessage[] = [];
      for (let m = await channel.get(queue); m; m = await channel.get(queue)) {
        out.push(m);
        channel.ack(m);
      }
      return out;
    },
    async close() {
      await channel.deleteQueue(amqp.queue).catch(() => undefined);
      await channel.deleteQueue(amqp.deadLetterQueue).catch(() => undefined);
      await connection.close();
    },
  };
}

/** Polls `done` every 50 ms until it holds or `timeoutMs` passes (then throws `what`). */
export async function waitFor(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A small valid payload: one shared person and laboratory (contention), one person of its own. */
export function proposalPayload(n: number, title = `AMQP proposal ${n}`) {
  const shared = {
    givenName: 'Shared',
    familyName: 'Person',
    externalId: 1,
    login: 'shared',
    emailAddress: 'shared@example.org',
    laboratory: { name: 'Shared Lab', city: 'Hamburg', country: 'DE', address: 'x', laboratoryExtPk: 1 },
  };
  return {
    proposal: {
      title,
      proposalCode: 'MX',
      proposalNumber: String(5000 + n),
      proposalType: 'MX',
      externalId: 700_000 + n,
      persons: [shared, { givenName: `P${n}`, familyName: 'Solo', externalId: 1000 + n, login: `solo${n}` }],
    },
    sessions: [
      {
        externalId: 900_000 + n,
        startDate: '2024-01-01T08:00:00Z',
        endDate: '2024-01-02T08:00:00Z',
        beamLineName: 'P11',
        scheduled: 1,
        nbShifts: 3,
        persons: [{ ...shared, session_options: { role: 'Local Contact', remote: 0 } }],
      },
    ],
  };
}
