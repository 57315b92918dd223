import { createTestDatabase, mariadbReachable, type TestDatabase } from '@upsync/sync-core/testing';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../src/http/json-depth.js';
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

const reachable = (await mariadbReachable()) && (await amqpReachable());

const DISTINCT = 72;
const DUPLICATES = 15;
const NOT_JSON = ['{"proposal": ', 'hello', '<xml/>', '', '[1, 2', '{"a":1}}'];
// refused before JSON.parse (MAX_JSON_DEPTH)
const TOO_DEEP = [`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`];
const SCHEMA_INVALID = [
  { proposal: { proposalCode: 'MX' } },
  { sessions: [] },
  { ...proposalPayload(500), sessions: [{ ...proposalPayload(500).sessions[0], startDate: 'yesterday' }] },
  { ...proposalPayload(501), unexpected: true },
  [1, 2, 3],
  { proposal: { ...proposalPayload(502).proposal, proposalNumber: null } },
];

/** 100 bodies: 72 distinct proposals, 15 copies of one more, 13 invalid ones, interleaved. */
function bodies(): (string | object)[] {
  const valid: (string | object)[] = Array.from({ length: DISTINCT }, (_, i) => proposalPayload(i));
  const out: (string | object)[] = [];
  const invalid = [...NOT_JSON, ...TOO_DEEP, ...SCHEMA_INVALID];
  for (let i = 0; out.length < 100; i++) {
    if (i % 6 === 1 && out.filter((b) => b === 'dup').length < DUPLICATES) out.push('dup');
    else if (i % 8 === 3 && invalid.length > 0) out.push(invalid.shift() as string | object);
    else if (valid.length > 0) out.push(valid.shift() as string | object);
    else if (invalid.length > 0) out.push(invalid.shift() as string | object);
    else out.push('dup');
  }
  return out.map((b) => (b === 'dup' ? proposalPayload(999) : b));
}

describe.skipIf(!reachable)('the RabbitMQ consumer (real broker, real MariaDB)', () => {
  const amqp = testQueues('consumer');
  let db: TestDatabase;
  let broker: TestBroker;
  const consumers: TestConsumer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('amqp_consumer');
    broker = await openTestBroker(amqp);
  });
  afterAll(async () => {
    for (const c of consumers) await c.close().catch(() => undefined);
    await broker?.close();
    await db?.drop();
  });

  it('100 payloads, two competing consumers: each valid one synced once in effect, invalid ones dead-lettered with their errors, nothing left unacked', async () => {
    const payloads = bodies();
    expect(payloads).toHaveLength(100);
    consumers.push(await startTestConsumer(db.url, amqp), await startTestConsumer(db.url, amqp));
    await broker.publish(payloads);

    const handled = () =>
      consumers.reduce((n, c) => n + c.consumer.stats.synced + c.consumer.stats.deadLettered, 0);
    await waitFor('all 100 messages handled', () => handled() === 100, 45_000);
    expect(await broker.counts(amqp.queue)).toEqual({ messageCount: 0, consumerCount: 2 });
    // both consumers took part (prefetch 1: the broker hands out messages one at a time)
    for (const c of consumers) {
      expect(c.consumer.stats.synced).toBeGreaterThan(0);
      expect(c.consumer.stats).toMatchObject({ abandoned: 0, disconnects: 0 });
    }
    const synced = consumers.reduce((n, c) => n + c.consumer.stats.synced, 0);
    expect(synced).toBe(DISTINCT + DUPLICATES);

    // stop both: a message still unacked would now be back in the queue
    for (const c of consumers.splice(0)) await c.close();
    expect(await broker.counts(amqp.queue)).toEqual({ messageCount: 0, consumerCount: 0 });

    const conn = await mysql.createConnection(db.url);
    try {
      const [proposals] = await conn.query(
        'SELECT proposalNumber, title, COUNT(*) AS n FROM Proposal GROUP BY proposalNumber, title ORDER BY proposalNumber',
      );
      const rows = proposals as { proposalNumber: string; title: string; n: number }[];
      expect(rows).toHaveLength(DISTINCT + 1);
      expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
      expect(rows.map((r) => r.proposalNumber)).toEqual(
        [...Array.from({ length: DISTINCT }, (_, i) => String(5000 + i)), '5999'].sort(),
      );
      const [persons] = await conn.query('SELECT login, COUNT(*) AS n FROM Person GROUP BY login');
      const people = persons as { login: string; n: number }[];
      expect(people).toHaveLength(DISTINCT + 2); // shared + one per proposal (+ the duplicate's)
      expect(people.every((p) => Number(p.n) === 1)).toBe(true);
      const [[labs]] = (await conn.query('SELECT COUNT(*) AS n FROM Laboratory')) as unknown as [
        [{ n: number }],
      ];
      expect(Number(labs.n)).toBe(1);
      const [[sessions]] = (await conn.query('SELECT COUNT(*) AS n FROM BLSession')) as unknown as [
        [{ n: number }],
      ];
      expect(Number(sessions.n)).toBe(DISTINCT + 1);
      // the sync history: every sync the consumer ran, under its principal
      const [runs] = await conn.query(
        'SELECT principal, outcome, errorCode, COUNT(*) AS n FROM upsync_sync_run GROUP BY principal, outcome, errorCode ORDER BY outcome',
      );
      expect((runs as Record<string, unknown>[]).map((r) => ({ ...r, n: Number(r.n) }))).toEqual([
        {
          principal: `amqp:${amqp.queue}`,
          outcome: 'failed',
          errorCode: 'VALIDATION_FAILED',
          n: SCHEMA_INVALID.length,
        },
        { principal: `amqp:${amqp.queue}`, outcome: 'succeeded', errorCode: null, n: DISTINCT + DUPLICATES },
      ]);
    } finally {
      await conn.end();
    }

    const dead = await broker.drain(amqp.deadLetterQueue);
    expect(dead).toHaveLength(NOT_JSON.length + TOO_DEEP.length + SCHEMA_INVALID.length);
    for (const m of dead) {
      const h = m.properties.headers ?? {};
      expect(h['x-upsync-error-code']).toBe('VALIDATION_FAILED');
      expect(h['x-upsync-queue']).toBe(amqp.queue);
      expect(String(h['x-upsync-error-detail'])).toMatch(/^Invalid payload/);
      const issues = JSON.parse(String(h['x-upsync-error-issues']));
      expect(issues.length).toBeGreaterThan(0);
      expect(m.properties.messageId).toMatch(/^m\d+$/);
      // the original body, unchanged, so that it can be replayed
      const original = payloads[Number(String(m.properties.messageId).slice(1))];
      expect(m.content.toString()).toBe(typeof original === 'string' ? original : JSON.stringify(original));
    }
    const notJson = dead.filter(
      (m) => JSON.parse(String(m.properties.headers?.['x-upsync-error-issues']))[0].code === 'invalid_json',
    );
    expect(notJson).toHaveLength(NOT_JSON.length);
    const tooDeep = dead.filter(
      (m) => JSON.parse(String(m.properties.headers?.['x-upsync-error-issues']))[0].code === 'too_deep',
    );
    expect(tooDeep.map((m) => m.content.toString())).toEqual(TOO_DEEP);
    expect(notJson.every((m) => m.properties.headers?.['x-upsync-attempts'] === 0)).toBe(true);
    expect(await broker.counts(amqp.deadLetterQueue)).toMatchObject({ messageCount: 0 });
  }, 60_000);
});
