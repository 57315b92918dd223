import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeOrm,
  createOrm,
  SyncError,
  setupServiceTables,
  syncProposal,
  type UpsyncOrm,
} from '../src/index.js';
import {
  createTestDatabase,
  galeraReachable,
  type TestDatabase,
  testGaleraUrls,
} from '../src/testing/index.js';
import { example, sql } from './support/targets.js';

const cluster = await galeraReachable();

/**
 * On a Galera cluster a brute-force abort (a replicated write wins a lock the sync's transaction
 * holds) rolls the sync back in the middle of its multi-statement batch. When the statement it
 * lands in does not report it, the rest of the batch runs outside the transaction, autocommitted,
 * and COMMIT answers OK: measured on MariaDB 10.11 / Galera 4 with a top-level `DO SLEEP` (every
 * time) and with INSERT … RETURNING (sometimes: a race). Seen from the service: a 200 whose rows
 * do not exist, or a valid payload refused with CONSTRAINT_VIOLATION (a child row referencing a
 * parent that was rolled back). One MariaDB always reports a deadlock, so it cannot show this.
 *
 * Here the abort lands in a trigger of one table of the sync (it takes a row lock on `gate` and
 * sleeps; an UPDATE of that row on another node replicates and aborts it, once), which this
 * MariaDB does report: the test guards the contract on a real abort — retried, a 200 only for
 * rows that exist, never the payload blamed — not the unreported case itself (no statement of
 * the public API's batches can be made to swallow it on demand; unreported-abort.test.ts
 * reproduces that one by fault injection at the driver). Public API only.
 */
describe.skipIf(!cluster)('a sync brute-force aborted in the middle of its batch (Galera)', () => {
  let orm: UpsyncOrm;
  let db: TestDatabase;
  let other: mysql.Connection;
  let serial = 0;

  beforeAll(async () => {
    const [first, second] = testGaleraUrls();
    db = await createTestDatabase('lost_trx', { serverUrl: first! });
    orm = await createOrm({ databaseUrl: db.url, timeZone: 'Europe/Berlin' });
    await setupServiceTables(orm);
    await sql(
      orm,
      'CREATE TABLE gate (id INT PRIMARY KEY, armed INT NOT NULL, v INT NOT NULL) ENGINE=InnoDB',
    );
    await sql(orm, 'INSERT INTO gate VALUES (1, 0, 0)');
    const url = new URL(second!);
    url.pathname = `/${db.databaseName}`;
    other = await mysql.createConnection(url.toString());
  });
  afterAll(async () => {
    await other?.end();
    if (orm) await closeOrm(orm);
    await db?.drop();
  });

  async function armTrigger(table: string) {
    await sql(orm, 'DROP TRIGGER IF EXISTS lose_transaction');
    await sql(
      orm,
      `CREATE TRIGGER lose_transaction BEFORE INSERT ON \`${table}\` FOR EACH ROW BEGIN
         IF (SELECT armed FROM gate WHERE id = 1) = 1 THEN
           UPDATE gate SET v = v + 1 WHERE id = 1;
           DO SLEEP(3);
         END IF;
       END`,
    );
    await sql(orm, 'UPDATE gate SET armed = 1 WHERE id = 1');
  }

  /** Once the sync sleeps in the trigger holding gate 1: a write of that row on another node. */
  async function abortTheSync(): Promise<boolean> {
    for (let i = 0; i < 500; i++) {
      const sleeping = await sql(
        orm,
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND STATE = 'User sleep'",
        [db.databaseName],
      );
      if (Number(sleeping[0]!.n) > 0) {
        await other.query('UPDATE gate SET armed = 0, v = v + 100 WHERE id = 1');
        return true;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return false;
  }

  function freshPayload() {
    serial++;
    const payload = example('pyispyb-create');
    payload.proposal.proposalNumber = `LOST-${serial}`;
    payload.proposal.externalId = 880_000 + serial;
    payload.proposal.persons.forEach((p: { externalId?: number; login?: string }, i: number) => {
      if (p.externalId !== undefined) p.externalId = 881_000 + serial * 10 + i;
      if (p.login !== undefined) p.login = `lost${serial}_${i}`;
    });
    payload.proteins.forEach((p: { externalId?: number }, i: number) => {
      p.externalId = 882_000 + serial * 10 + i;
    });
    payload.sessions.forEach((s: { externalId?: number }, i: number) => {
      s.externalId = 883_000 + serial * 10 + i;
    });
    return payload;
  }

  /** What the database holds of a payload's proposal. */
  async function stored(proposalNumber: string) {
    const [row] = await sql(
      orm,
      `SELECT q.proposalId,
         (SELECT COUNT(*) FROM ProposalHasPerson x WHERE x.proposalId = q.proposalId) AS participants,
         (SELECT COUNT(*) FROM BLSession s WHERE s.proposalId = q.proposalId) AS sessions,
         (SELECT COUNT(*) FROM Session_has_Person x JOIN BLSession s USING (sessionId) WHERE s.proposalId = q.proposalId) AS sessionPersons,
         (SELECT COUNT(*) FROM Protein p WHERE p.proposalId = q.proposalId) AS proteins,
         (SELECT COUNT(*) FROM LabContact c WHERE c.proposalId = q.proposalId) AS labContacts,
         (SELECT COUNT(*) FROM upsync_sync_run h WHERE h.proposalNumber = q.proposalNumber AND h.outcome = 'succeeded') AS history
       FROM Proposal q WHERE q.proposalNumber = ?`,
      [proposalNumber],
    );
    const history = await sql(
      orm,
      "SELECT COUNT(*) AS n FROM upsync_sync_run WHERE proposalNumber = ? AND outcome = 'succeeded'",
      [proposalNumber],
    );
    return {
      row: row ? Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) : undefined,
      history: Number(history[0]!.n),
    };
  }

  async function syncWhileLosingTheTransaction(table: string) {
    await armTrigger(table);
    const payload = freshPayload();
    const pending = syncProposal(orm, payload, { history: { principal: 'test' } }).then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error }),
    );
    const aborted = await abortTheSync();
    const outcome = await pending;
    await sql(orm, 'DROP TRIGGER lose_transaction');
    console.info(
      `lost transaction in ${table}: ${outcome.result ? 'synced' : String((outcome.error as Error).message)}`,
    );
    expect(aborted, 'the sync never slept in the trigger').toBe(true);
    return { payload, ...outcome, ...(await stored(payload.proposal.proposalNumber)) };
  }

  const complete = { participants: 3, sessions: 2, sessionPersons: 4, proteins: 2, labContacts: 2 };

  it('is never acknowledged for rows that do not exist (aborted in its last INSERTs)', async () => {
    const { result, error, row, history } = await syncWhileLosingTheTransaction('Session_has_Person');
    if (result) {
      expect(row, 'answered 200, but the proposal does not exist').toBeDefined();
      expect(row).toMatchObject({ proposalId: result.proposal.proposalId, ...complete });
      expect(history).toBe(1);
    } else {
      expect(error).toBeInstanceOf(SyncError);
      expect((error as SyncError).retryable).toBe(true);
      expect(row).toBeUndefined();
    }
  });

  it('is retried, not reported as the payload violating a constraint (aborted in the persons INSERT)', async () => {
    const { result, error, row } = await syncWhileLosingTheTransaction('Person');
    expect((error as SyncError | undefined)?.code).not.toBe('CONSTRAINT_VIOLATION');
    expect(error, 'the retry of a lost transaction succeeds').toBeUndefined();
    expect(row).toMatchObject({ proposalId: result!.proposal.proposalId, ...complete });
  });

  it('leaves nothing half-written: the statements after the rollback are not committed', async () => {
    const before = await sql(
      orm,
      'SELECT (SELECT COUNT(*) FROM Person) p, (SELECT COUNT(*) FROM Proposal) q, (SELECT COUNT(*) FROM Laboratory) l',
    );
    const { result, row } = await syncWhileLosingTheTransaction('Proposal');
    const after = await sql(
      orm,
      'SELECT (SELECT COUNT(*) FROM Person) p, (SELECT COUNT(*) FROM Proposal) q, (SELECT COUNT(*) FROM Laboratory) l',
    );
    // the payload's 3 persons and 1 proposal exist once, whatever the attempts did
    expect(Number(after[0]!.q) - Number(before[0]!.q)).toBe(result ? 1 : 0);
    if (result) {
      expect(Number(after[0]!.p) - Number(before[0]!.p)).toBe(3);
      expect(row).toMatchObject({ proposalId: result.proposal.proposalId, ...complete });
    }
  });
});
