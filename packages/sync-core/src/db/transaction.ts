import { IsolationLevel } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { type AttemptGuard, forkEm, internalsOf, type UpsyncOrm } from '../orm/internals.js';
import { databaseUnavailable, internalError, lockRetriesExhausted, SyncError } from '../sync-error.js';
import type { SyncOptions } from '../sync-options.js';
import { commitGuarded, endGuarded, startGuarded, transactionLost } from './attempt-guard.js';
import {
  isConnectionLost,
  isRetryable,
  isUnavailable,
  retryReason,
  TransactionLost,
} from './driver-errors.js';
import { retryBudget } from './retry-budget.js';

/** Lock wait time-outs cost a whole `innodb_lock_wait_timeout` each: at most this many attempts. */
export const LOCK_WAIT_ATTEMPTS = 5;
const LOST_CONNECTION_ATTEMPTS = 2;

/** A sync's `onRetry` and `signal`, and how the transaction ends. */
interface TransactionOptions extends Pick<SyncOptions, 'onRetry' | 'signal'> {
  /** Do the work, keep its result, undo every write (dry run, read-back). */
  rollback: boolean;
  /** REPEATABLE READ for this transaction (the read-back's consistent snapshot). */
  repeatableRead?: boolean;
}

/**
 * Runs `work` as one unit of work: a fresh fork of the EntityManager (nothing carried over from
 * an earlier attempt: no identity map, ids or flags), one transaction at the pool's READ
 * COMMITTED. `work` flushes; COMMIT (or, with `rollback`, ROLLBACK) follows, and the value is
 * returned only after it succeeded. Deadlocks, lock wait timeouts, Galera certification
 * conflicts and lost transactions retry the whole attempt with jittered backoff, within the
 * database's retry budget (retry-budget.ts) and the caller's signal; a connection lost
 * mid-attempt, once.
 */
export async function inTransaction<T>(
  orm: UpsyncOrm,
  work: (em: SqlEntityManager) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  let lockWaits = 0;
  const budget = retryBudget(internalsOf(orm).retryPolicy, options.signal);
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(orm, work, options);
    } catch (error) {
      if (isRetryable(error)) {
        const reason = retryReason(error, orm.dialect === 'mysql' && internalsOf(orm).galera);
        if (reason === 'lock_wait_timeout') lockWaits++;
        const delay = budget.nextDelay(attempt);
        if (delay === undefined || lockWaits >= LOCK_WAIT_ATTEMPTS)
          throw lockRetriesExhausted(attempt, error, budget.elapsedMs());
        try {
          options.onRetry?.(reason);
        } catch {
          // a failing observer must not change the sync's outcome
        }
        if (!(await budget.wait(delay))) throw lockRetriesExhausted(attempt, error, budget.elapsedMs());
        continue;
      }
      // one more attempt on a fresh connection: the lost one's transaction was rolled back (or,
      // lost during COMMIT, committed: the retry then finds its rows and changes nothing)
      if (isConnectionLost(error) && attempt < LOST_CONNECTION_ATTEMPTS) continue;
      if (error instanceof SyncError) throw error;
      if (isUnavailable(error)) throw databaseUnavailable(error);
      throw internalError(error);
    }
  }
}

/**
 * Runs `work` on a fresh fork outside any transaction, for reads only (each statement sees what
 * is committed when it runs). A failure gives undefined: the caller then does the work in a
 * transaction, which retries or reports it.
 */
export async function withoutTransaction<T>(
  orm: UpsyncOrm,
  work: (em: SqlEntityManager) => Promise<T | undefined>,
): Promise<T | undefined> {
  try {
    return await work(forkEm(orm));
  } catch {
    return undefined;
  }
}

async function attemptOnce<T>(
  orm: UpsyncOrm,
  work: (em: SqlEntityManager) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  const em = forkEm(orm);
  const guard = orm.dialect === 'mysql' ? internalsOf(orm).attemptGuard : 'off';
  // SQLite's transactions are serializable whatever is asked: ask only MariaDB/MySQL
  const repeatableRead = options.repeatableRead && orm.dialect === 'mysql';
  await em.begin(repeatableRead ? { isolationLevel: IsolationLevel.REPEATABLE_READ } : {});
  let value: T;
  try {
    await startGuarded(em, guard);
    value = await work(em);
    if (!options.rollback) await commitGuarded(em, guard);
  } catch (error) {
    const lost = await transactionLost(em, guard, error);
    await rollbackQuietly(em, guard);
    throw lost ? new TransactionLost(error) : error;
  }
  if (options.rollback) await rollbackQuietly(em, guard, { quiet: false });
  else if (guard === 'off') await commit(em);
  // guarded, commitGuarded committed (checked): this COMMIT only ends the transaction as MikroORM
  // and Kysely see it, and no answer to it (a connection lost just now, say) may turn the
  // committed attempt into a retry
  else await commit(em).catch(() => {});
  return value;
}

/**
 * COMMIT of the attempt's transaction. Not `em.commit()`, which flushes once more first: the work
 * has flushed its unit of work itself (the sync's one flush) and changes nothing after it, so
 * that flush would only compute empty change sets over every managed entity again (~0.2–0.3 ms
 * a sync, measured in bench/README.md).
 */
async function commit(em: SqlEntityManager): Promise<void> {
  await em.getConnection('write').commit(em.getTransactionContext()!);
}

/** ROLLBACK on the attempt's connection (guarded: autocommit back on first, attempt-guard.ts). */
async function rollbackQuietly(em: SqlEntityManager, guard: AttemptGuard, { quiet = true } = {}) {
  await endGuarded(em, guard);
  const rollback = em.rollback();
  if (quiet) await rollback.catch(() => {});
  else await rollback;
}
