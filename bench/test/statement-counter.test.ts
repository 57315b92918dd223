import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchDatabase } from '../src/databases.js';
import { connect } from '../src/db.js';
import { StatementCounter } from '../src/statement-counter.js';
import { relDatabase } from './harness.js';
import { mariadbReachable } from './support.js';

const reachable = await mariadbReachable();

describe.skipIf(!reachable)('statement counter (mysql2 tracing channels)', () => {
  let db: BenchDatabase;
  beforeAll(async () => {
    db = await relDatabase('counter');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('counts statements per kind on its database only, service tables apart', async () => {
    const counter = new StatementCounter(db.name);
    const mine = await connect(db.name);
    const other = await connect();
    try {
      counter.reset(true);
      await mine.query('BEGIN');
      await mine.query(
        "INSERT INTO upsync_lock (lockKey, n) VALUES ('aaaaaaaa', 1) ON DUPLICATE KEY UPDATE n = n",
      );
      await mine.execute('SELECT * FROM Person WHERE personId = ?', [1]);
      await mine.query("INSERT INTO Laboratory (name) VALUES ('x')");
      await mine.query("UPDATE Laboratory SET city = 'y'");
      await mine.query('DELETE FROM Laboratory');
      await mine.query('COMMIT');
      await other.query('SELECT 1'); // another database: not counted
      expect(counter.snapshot()).toMatchObject({
        total: 7,
        select: 1,
        insert: 1,
        update: 1,
        delete: 1,
        other: 2,
        service: 1,
        writes: 3,
      });
      expect(counter.statements()).toHaveLength(7);
    } finally {
      counter.close();
      await mine.end();
      await other.end();
    }
  });
});
