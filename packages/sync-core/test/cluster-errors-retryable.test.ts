import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onStatement, SyncError, setupServiceTables, syncProposal, type UpsyncOrm } from '../src/index.js';
import { example, MARIADB, openTarget, sql } from './support/targets.js';

/**
 * What a Galera node answers while the cluster's membership changes, reproduced on one MariaDB:
 * a trigger fails one chosen statement of the first attempt with the node's error code (SIGNAL),
 * armed once through a non-transactional counter. Public API only.
 *
 * - 1047 "WSREP has not yet prepared node for application use": the node left the primary
 *   component. It was reported as INTERNAL (a plain 500): it is the database being unavailable.
 * - 1180 "Got error … during COMMIT": nothing was committed; the attempt is retried.
 * - 2013 lost connection while the in-transaction history row was written: was taken as "the
 *   history table went away" and moved the history out of the sync's transaction for the rest of
 *   the process's life.
 */
describe.skipIf(MARIADB.skip)('errors of a cluster membership change', () => {
  let orm: UpsyncOrm;
  let close: () => Promise<void>;
  let serial = 0;

  beforeAll(async () => {
    ({ orm, close } = await openTarget(MARIADB, 'cluster_errors'));
    await setupServiceTables(orm);
    await sql(orm, 'CREATE TABLE armed (n INT NOT NULL) ENGINE=Aria');
    await sql(orm, 'INSERT INTO armed VALUES (0)');
  });
  afterAll(async () => close?.());

  async function failOnce(table: string, errno: number, sqlState: string) {
    await sql(orm, 'DROP TRIGGER IF EXISTS fail_once');
    await sql(
      orm,
      `CREATE TRIGGER fail_once BEFORE INSERT ON \`${table}\` FOR EACH ROW BEGIN
         DECLARE fire INT DEFAULT 0;
         SELECT n INTO fire FROM armed;
         IF fire > 0 THEN
           UPDATE armed SET n = 0;
           SIGNAL SQLSTATE '${sqlState}' SET MYSQL_ERRNO = ${errno}, MESSAGE_TEXT = 'injected';
         END IF;
       END`,
    );
    await sql(orm, 'UPDATE armed SET n = 1');
  }

  function freshPayload() {
    serial++;
    const payload = example('pyispyb-create');
    payload.proposal.proposalNumber = `CLU-${serial}`;
    payload.proposal.externalId = 870_000 + serial;
    payload.proteins.forEach((p: { externalId?: number }, i: number) => {
      p.externalId = 871_000 + serial * 10 + i;
    });
    payload.sessions.forEach((s: { externalId?: number }, i: number) => {
      s.externalId = 872_000 + serial * 10 + i;
    });
    return payload;
  }

  async function proposals(number: string): Promise<number> {
    const [row] = await sql(orm, 'SELECT COUNT(*) AS n FROM Proposal WHERE proposalNumber = ?', [number]);
    return Number(row!.n);
  }

  it('a node outside the primary component (1047) answers a retryable DATABASE_UNAVAILABLE, not INTERNAL', async () => {
    await failOnce('BLSession', 1047, '08S01');
    const payload = freshPayload();
    const error = await syncProposal(orm, payload).catch((e: unknown) => e);
    await sql(orm, 'DROP TRIGGER fail_once');
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retryable: true });
    expect(await proposals(payload.proposal.proposalNumber)).toBe(0);
    // the client's retry succeeds
    await syncProposal(orm, payload);
    expect(await proposals(payload.proposal.proposalNumber)).toBe(1);
  });

  it('an error during COMMIT (1180) is retried: the sync succeeds, once, and the retry is counted', async () => {
    await failOnce('Session_has_Person', 1180, 'HY000');
    const payload = freshPayload();
    const reasons: string[] = [];
    const result = await syncProposal(orm, payload, { onRetry: (reason) => reasons.push(reason) });
    await sql(orm, 'DROP TRIGGER fail_once');
    expect(result.proposal.proposalId).toBeGreaterThan(0);
    expect(await proposals(payload.proposal.proposalNumber)).toBe(1);
    expect(reasons).toEqual(['commit_failed']);
  });

  it('a certification conflict (1213 WSREP) is retried and counted as such', async () => {
    await sql(orm, 'DROP TRIGGER IF EXISTS fail_once');
    await sql(
      orm,
      `CREATE TRIGGER fail_once BEFORE INSERT ON Protein FOR EACH ROW BEGIN
         DECLARE fire INT DEFAULT 0;
         SELECT n INTO fire FROM armed;
         IF fire > 0 THEN
           UPDATE armed SET n = 0;
           SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'WSREP detected deadlock/conflict and aborted the transaction. Try restarting the transaction';
         END IF;
       END`,
    );
    await sql(orm, 'UPDATE armed SET n = 1');
    const reasons: string[] = [];
    const payload = freshPayload();
    await syncProposal(orm, payload, { onRetry: (reason) => reasons.push(reason) });
    await sql(orm, 'DROP TRIGGER fail_once');
    expect(reasons).toEqual(['certification_conflict']);
    expect(await proposals(payload.proposal.proposalNumber)).toBe(1);
  });

  it('a lost connection while the history row is written does not move the history out of the transaction', async () => {
    await failOnce('upsync_sync_run', 2013, 'HY000');
    const payload = freshPayload();
    const first = await syncProposal(orm, payload, { history: { principal: 'test' } }).then(
      () => null,
      (e: unknown) => e,
    );
    await sql(orm, 'DROP TRIGGER fail_once');
    // the sync itself: committed (200), or a retryable failure that wrote nothing
    if (first) {
      expect(first).toMatchObject({ retryable: true });
      expect(await proposals(payload.proposal.proposalNumber)).toBe(0);
    } else expect(await proposals(payload.proposal.proposalNumber)).toBe(1);

    // the next sync still writes its history row in its own transaction: the statement right
    // after the history INSERT is the sync's COMMIT
    const seen: { sql: string }[] = [];
    const stop = onStatement(orm, (e) => seen.push(e));
    try {
      await syncProposal(orm, freshPayload(), { history: { principal: 'test' } });
    } finally {
      stop();
    }
    const history = seen.findIndex((e) => /INSERT INTO `?upsync_sync_run`?/i.test(e.sql));
    expect(history, 'no history row written').toBeGreaterThanOrEqual(0);
    expect(seen[history + 1]?.sql.trim()).toMatch(/^COMMIT/i);
  });
});
