import { setTimeout as sleep } from 'node:timers/promises';
import { IsolationLevel } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { HistoryWriteFailed } from '../history/history-errors.js';
import { forkEm, type UpsyncOrm } from '../orm/internals.js';
import { databaseUnavailable, internalError, lockRetriesExhausted, SyncError } from '../sync-error.js';
import { isConnectionLost, isRetryable, isUnavailable } from './driver-errors.js';

export const MAX_ATTEMPTS = 5;
const LOST_CONNECTION_ATTEMPTS = 2;

interface TransactionOptions {
  /** Do the work, keep its result, undo every write (dry run, read-back). */
  rollback: boolean;
  /** REPEATABLE READ for this transaction (the read-back's consistent snapshot). */
  repeatableRead?: boolean;
}

/**
 * Runs `work` as one unit of work: a fresh fork of the EntityManager (nothing carried over from
 * an earlier attempt: no identity map, ids or flags), one transaction at the pool's READ
 * COMMITTED. `work` flushes; COMMIT (or, with `rollback`, ROLLBACK) follows, and the value is
 * returned only after it succeeded. Deadlocks, lock wait timeouts and Galera certification
 * failures retry the whole attempt with jittered backoff, at most MAX_ATTEMPTS times; a connection
 * lost mid-attempt, once.
 */
export async function inTransaction<T>(
  orm: UpsyncOrm,
  work: (em: SqlEntityManager) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(orm, work, options);
    } catch (error) {
      if (isRetryable(error)) {
        if (attempt >= MAX_ATTEMPTS) throw lockRetriesExhausted(attempt, error);
        await sleep(Math.round(Math.random() * 40 * 2 ** attempt));
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

async function attemptOnce<T>(
  orm: UpsyncOrm,
  work: (em: SqlEntityManager) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  const em = forkEm(orm);
  await em.begin(options.repeatableRead ? { isolationLevel: IsolationLevel.REPEATABLE_READ } : {});
  let value: T;
  try {
    value = await work(em);
  } catch (error) {
    await em.rollback().catch(() => {
      // the connection is gone (killed, server down): the server rolled the transaction back itself
    });
    throw error;
  }
  if (options.rollback) await em.rollback();
  else await em.commit();
  return value;
}
