import { setTimeout as sleep } from 'node:timers/promises';
import { IsolationLevel } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { HistoryWriteFailed } from '../history/history-errors.js';
import { forkEm, internalsOf, type UpsyncOrm } from '../orm/internals.js';
import { databaseUnavailable, internalError, lockRetriesExhausted, SyncError } from '../sync-error.js';
import {
  isConnectionLost,
  isRetryable,
  isUnavailable,
  type RetryReason,
  retryReason,
  TransactionLost,
} from './driver-errors.js';

/**
 * Attempts of one transaction, and the backoff between them (jittered, capped): about 3.5 s in
 * all at worst, enough for a Galera cluster's membership change (its syncs are certification
 * conflicts and brute-force aborts until the new view is installed) and still bounded.
 */
export const MAX_ATTEMPTS = 8;
/** Lock wait time-outs cost a whole `innodb_lock_wait_timeout` each: at most this many attempts. */
export const LOCK_WAIT_ATTEMPTS = 5;
const LOST_CONNECTION_ATTEMPTS = 2;
const BACKOFF_BASE_MS = 25;
const BACKOFF_CAP_MS = 1_000;

interface TransactionOptions {
  /** Do the work, keep its result, undo every write (dry run, read-back). */
  rollback: boolean;
  /** REPEATABLE READ for this transaction (the read-back's consistent snapshot). */
  repeatableRead?: boolean;
  /** Told before each retry, with why (metrics). */
  onRetry?: (reason: RetryReason) => void;
}

/**
 * Runs `work` as one unit of work: a fresh fork of the EntityManager (nothing carried over from
 * an earlier attempt: no identity map, ids or flags), one transaction at the pool's READ
 * COMMITTED. `work` flushes; COMMIT (or, with `rollback`, ROLLBACK) follows, and the value is
 * returned only after it succeeded. Deadlocks, lock wait timeouts, Galera certification
 * conflicts and lost transactions retry the whole attempt with jittered backoff; a connection
 * lost mid-attempt, once.
 */
export async function inTransaction<T>(
  orm: UpsyncOrm,
  work: (em: SqlEntityManager) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  let lockWaits = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(orm, work, options);
    } catch (error) {
      if (isRetryable(error)) {
        const reason = retryReason(error, orm.dialect === 'mysql' && internalsOf(orm).galera);
        if (reason === 'lock_wait_timeout') lockWaits++;
        if (attempt >= MAX_ATTEMPTS || lockWaits >= LOCK_WAIT_ATTEMPTS)
          throw lockRetriesExhausted(attempt, error);
        try {
          options.onRetry?.(reason);
        } catch {
          // a failing observer must not change the sync's outcome
        }
        await sleep(Math.round(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt)));
        continue;
      }
      // one more attempt on a fresh connection: the lost one's transaction was rolled back (or,
      // lost during COMMIT, committed: the retry then finds its rows and changes nothing)
      if (isConnectionLost(error) && attempt < LOST_CONNECTION_ATTEMPTS) continue;
      if (error instanceof SyncError || error instanceof HistoryWriteFailed) throw error;
      if (isUnavailable(error)) throw databaseUnavailable(error);
      throw internalError(error);
    }
  }
}

/** Marks the start of an attempt's transaction on Galera: it exists exactly while that transaction does. */
const SAVEPOINT = 'upsync_attempt';
const SAVEPOINT_MISSING = 1305;

async function attemptOnce<T>(
  orm: UpsyncOrm,
  work: (em: SqlEntityManager) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  const em = forkEm(orm);
  const guard = orm.dialect === 'mysql' && internalsOf(orm).galera;
  await em.begin(options.repeatableRead ? { isolationLevel: IsolationLevel.REPEATABLE_READ } : {});
  let value: T;
  try {
    if (guard) await guardTransaction(em);
    value = await work(em);
    if (guard && !options.rollback) await commitGuarded(em);
  } catch (error) {
    const lost = guard && (await transactionLost(em, error));
    await rollbackQuietly(em, guard);
    throw lost ? new TransactionLost(error) : error;
  }
  if (options.rollback) await rollbackQuietly(em, guard, { quiet: false });
  else await em.commit(); // on Galera a no-op: commitGuarded committed, checked
  return value;
}

/**
 * Galera only. The server may end the transaction without any statement reporting it: a
 * brute-force abort (a replicated write wins a lock this attempt holds) that lands while an
 * INSERT … RETURNING runs is swallowed, and the attempt's later statements then ran outside any
 * transaction, each committing by itself — a 200 for rows that did not exist, or a child row
 * whose parent was rolled back refused as a constraint violation. With autocommit off, statements
 * after such an abort stay uncommitted and are rolled back; the savepoint taken now is released
 * just before COMMIT: when it is gone, the transaction is, and the attempt is retried instead of
 * committed. Single servers report every abort: none of this is sent there.
 */
async function guardTransaction(em: SqlEntityManager): Promise<void> {
  await em.execute('SET autocommit = 0');
  await em.execute(`SAVEPOINT ${SAVEPOINT}`);
}

/** RELEASE (the transaction still exists), COMMIT, autocommit back on, on the attempt's connection. */
async function commitGuarded(em: SqlEntityManager): Promise<void> {
  try {
    await em.execute(`RELEASE SAVEPOINT ${SAVEPOINT}`);
  } catch (error) {
    throw errnoOf(error) === SAVEPOINT_MISSING ? new TransactionLost(error) : error;
  }
  await em.execute('COMMIT');
  await em.execute('SET autocommit = 1');
}

/**
 * ROLLBACK on the attempt's connection, then (Galera) autocommit back on before the connection
 * returns to the pool. One statement at a time: after a brute-force abort ROLLBACK itself may
 * answer 1213, and what follows must run all the same.
 */
async function rollbackQuietly(em: SqlEntityManager, guard: boolean, { quiet = true } = {}) {
  if (guard) {
    for (const sql of ['ROLLBACK', 'SET autocommit = 1']) {
      await em.execute(sql).catch(() => {
        // the connection is gone (killed, node down): the server rolled the transaction back itself
      });
    }
  }
  const rollback = em.rollback();
  if (quiet) await rollback.catch(() => {});
  else await rollback;
}

/** After a failure that would not be retried: was the transaction already gone (savepoint missing)? */
async function transactionLost(em: SqlEntityManager, thrown: unknown): Promise<boolean> {
  if (thrown instanceof TransactionLost || isRetryable(thrown) || isUnavailable(thrown)) return false;
  try {
    await em.execute(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    return false;
  } catch (probe) {
    // a Galera brute-force abort not yet reported answers the next statement with 1213
    return errnoOf(probe) === SAVEPOINT_MISSING || isRetryable(probe);
  }
}

function errnoOf(error: unknown): number | undefined {
  let e: unknown = error;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const errno = (e as { errno?: number }).errno;
    if (errno !== undefined) return errno;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
