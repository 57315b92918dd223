import type { SqlEntityManager } from '@mikro-orm/sql';
import type { AttemptGuard } from '../orm/internals.js';
import { errnoOf, isRetryable, isUnavailable, TransactionLost } from './driver-errors.js';

// Galera only (orm/internals.ts, attemptGuard). The server may end an attempt's transaction
// without any statement reporting it: a brute-force abort (a replicated write wins a lock this
// attempt holds) that lands while an INSERT … RETURNING runs is swallowed, and the attempt's later
// statements then ran outside any transaction, each committing by itself — a 200 for rows that were
// never committed, or a child row whose parent was rolled back refused as a constraint violation
// (test/unreported-abort.test.ts reproduces both). With autocommit off, statements after such an
// abort stay uncommitted and are rolled back; a savepoint taken right after BEGIN exists exactly
// while the transaction does, and is released in the same command as the COMMIT: when it is gone,
// the attempt is retried instead of committed.

/** Marks the start of an attempt's transaction. */
const SAVEPOINT = 'upsync_attempt';
const SAVEPOINT_MISSING = 1305;

/**
 * The guard's statements on either side of the attempt's work. MariaDB runs each side as one
 * anonymous block: one round trip each, and no command boundary between the check (RELEASE: the
 * transaction still exists) and its COMMIT for an abort to fall into. MySQL has no anonymous
 * blocks: one statement at a time there (MySQL-based Galera; it has no INSERT … RETURNING either).
 */
const STATEMENTS: Record<Exclude<AttemptGuard, 'off'>, { start: string[]; commit: string[] }> = {
  block: {
    start: [`BEGIN NOT ATOMIC SET autocommit = 0; SAVEPOINT ${SAVEPOINT}; END`],
    commit: [`BEGIN NOT ATOMIC RELEASE SAVEPOINT ${SAVEPOINT}; COMMIT; SET autocommit = 1; END`],
  },
  statements: {
    start: ['SET autocommit = 0', `SAVEPOINT ${SAVEPOINT}`],
    commit: [`RELEASE SAVEPOINT ${SAVEPOINT}`, 'COMMIT', 'SET autocommit = 1'],
  },
};

/** Right after BEGIN: autocommit off, the savepoint taken, on the attempt's connection. */
export async function startGuarded(em: SqlEntityManager, guard: AttemptGuard): Promise<void> {
  if (guard === 'off') return;
  for (const sql of STATEMENTS[guard].start) await em.execute(sql);
}

/** RELEASE (the transaction still exists), COMMIT, autocommit back on; a missing savepoint → TransactionLost. */
export async function commitGuarded(em: SqlEntityManager, guard: AttemptGuard): Promise<void> {
  if (guard === 'off') return;
  try {
    for (const sql of STATEMENTS[guard].commit) await em.execute(sql);
  } catch (error) {
    throw errnoOf(error) === SAVEPOINT_MISSING ? new TransactionLost(error) : error;
  }
}

/**
 * ROLLBACK and autocommit back on before the connection returns to the pool. One statement at a
 * time: after a brute-force abort ROLLBACK itself may answer 1213, and what follows must run all
 * the same.
 */
export async function endGuarded(em: SqlEntityManager, guard: AttemptGuard): Promise<void> {
  if (guard === 'off') return;
  for (const sql of ['ROLLBACK', 'SET autocommit = 1']) {
    await em.execute(sql).catch(() => {
      // the connection is gone (killed, node down): the server rolled the transaction back itself
    });
  }
}

/** After a failure that would not be retried: was the transaction already gone (savepoint missing)? */
export async function transactionLost(
  em: SqlEntityManager,
  guard: AttemptGuard,
  thrown: unknown,
): Promise<boolean> {
  if (guard === 'off') return false;
  if (thrown instanceof TransactionLost || isRetryable(thrown) || isUnavailable(thrown)) return false;
  try {
    await em.execute(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    return false;
  } catch (probe) {
    // a Galera brute-force abort not yet reported answers the next statement with 1213
    return errnoOf(probe) === SAVEPOINT_MISSING || isRetryable(probe);
  }
}
