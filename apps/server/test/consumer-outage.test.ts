import { createTestDatabase, mariadbReachable, type TestDatabase } from '@upsync/sync-core/testing';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amqpReachable } from './helpers/amqp.js';
import {
  openTestBroker,
  proposalPayload,
  startTestConsumer,
  type TestBroker,
  type TestConsumer,
  testQueues,
  waitFor,
} from './helpers/consumer.js';
import { type CuttableProxy, cuttableProxy } from './helpers/tcp-proxy.js';

const reachable = (await mariadbReachable()) && (await amqpReachable());

describe.skipIf(!reachable)('the RabbitMQ consumer while the database is down', () => {
  const amqp = testQueues('outage');
  let db: TestDatabase;
  let broker: TestBroker;
  let proxy: CuttableProxy;
  const consumers: TestConsumer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('amqp_outage');
    broker = await openTestBroker(amqp);
  });
  afterAll(async () => {
    await proxy?.restore();
    for (const c of consumers) await c.close().catch(() => undefined);
    await broker?.close();
    await db?.drop();
  });

  it('loses no message: two consumers hold on through the outage and sync everything after it', async () => {
    const url = new URL(db.url);
    proxy = await cuttableProxy(url.hostname, Number(url.port || 3306));
    url.host = `127.0.0.1:${proxy.port}`;
    // two consumers behind the cuttable hop, prefetch 1
    consumers.push(
      await startTestConsumer(url.toString(), amqp),
      await startTestConsumer(url.toString(), amqp),
    );
    const stats = () => consumers.map((c) => c.consumer.stats);
    const synced = () => stats().reduce((n, s) => n + s.synced, 0);

    await broker.publish(Array.from({ length: 5 }, (_, i) => proposalPayload(i)));
    await waitFor('the first syncs', () => synced() === 5);

    await proxy.cut();
    await broker.publish(Array.from({ length: 25 }, (_, i) => proposalPayload(5 + i)));
    await waitFor('retries against the missing database', () => stats().every((s) => s.retries >= 2));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(synced()).toBe(5);
    // the messages wait in the queue or unacked in a consumer's hands, none dead-lettered
    expect(stats().every((s) => s.deadLettered === 0)).toBe(true);
    await proxy.restore();

    await waitFor('every message synced after the restore', () => synced() === 30, 30_000);
    expect(await broker.counts(amqp.deadLetterQueue)).toMatchObject({ messageCount: 0 });
    for (const c of consumers.splice(0)) await c.close();
    expect(await broker.counts(amqp.queue)).toEqual({ messageCount: 0, consumerCount: 0 });

    const conn = await mysql.createConnection(db.url);
    try {
      const [rows] = await conn.query(
        'SELECT proposalNumber, COUNT(*) AS n FROM Proposal GROUP BY proposalNumber',
      );
      const proposals = rows as { proposalNumber: string; n: number }[];
      expect(proposals).toHaveLength(30);
      expect(proposals.every((p) => Number(p.n) === 1)).toBe(true);
    } finally {
      await conn.end();
    }
  }, 60_000);

  it('one consumer applies one proposal’s versions in publish order, across an outage', async () => {
    const url = new URL(db.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const single = await startTestConsumer(url.toString(), amqp);
    consumers.push(single);
    await proxy.cut();
    await broker.publish(Array.from({ length: 6 }, (_, v) => proposalPayload(100, `version ${v + 1}`)));
    await waitFor('a retry', () => single.consumer.stats.retries >= 1);
    await proxy.restore();
    await waitFor('all versions synced', () => single.consumer.stats.synced === 6, 30_000);
    const conn = await mysql.createConnection(db.url);
    try {
      const [rows] = await conn.query("SELECT title FROM Proposal WHERE proposalNumber = '5100'");
      expect(rows).toEqual([{ title: 'version 6' }]);
    } finally {
      await conn.end();
    }
    const logs = single.logs.filter((l) => l.msg === 'proposal synchronized');
    expect(logs).toHaveLength(6);
    expect(logs.every((l) => l.principal === `amqp:${amqp.queue}`)).toBe(true);
  }, 40_000);

  it('two consumers on the default single-active-consumer queue apply one proposal’s versions in publish order', async () => {
    const ordered = { ...testQueues('outage_sac'), singleActiveConsumer: true };
    const orderedBroker = await openTestBroker(ordered);
    const url = new URL(db.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const pair = [
      await startTestConsumer(url.toString(), ordered),
      await startTestConsumer(url.toString(), ordered),
    ];
    consumers.push(...pair);
    try {
      await proxy.cut();
      await orderedBroker.publish(Array.from({ length: 6 }, (_, v) => proposalPayload(200, `sac ${v + 1}`)));
      await waitFor('a retry', () => pair.some((c) => c.consumer.stats.retries >= 1));
      await proxy.restore();
      const synced = () => pair.reduce((n, c) => n + c.consumer.stats.synced, 0);
      await waitFor('all versions synced', () => synced() === 6, 30_000);
      // the broker fed one consumer; the other stood by (and would take over if it went)
      expect(pair.map((c) => c.consumer.stats.synced).sort()).toEqual([0, 6]);
      const conn = await mysql.createConnection(db.url);
      try {
        const [rows] = await conn.query("SELECT title FROM Proposal WHERE proposalNumber = '5200'");
        expect(rows).toEqual([{ title: 'sac 6' }]);
      } finally {
        await conn.end();
      }
    } finally {
      // stop the consumers before their queue is deleted, so they do not see it vanish
      for (const c of consumers.splice(consumers.length - pair.length)) await c.close();
      await orderedBroker.close();
    }
  }, 40_000);
});
