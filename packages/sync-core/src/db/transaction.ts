import { setTimeout as sleep } from 'node:timers/promises';
import { IsolationLevel } from '@mikro-orm/core';
import { forkEm, internalsOf, type UpsyncOrm } from '../orm/internals.js';
import { databaseUnavailable, internalError, lockRetriesExhausted, SyncError } from '../sync-error.js';
import { isRetryable, isUnavailable } from './driver-errors.js';
import { Gateway } from './gateway.js';

export const MAX_ATTEMPTS = 5;

class Rollback<T> {
  constructor(readonly value: T) {}
}

/**
 * Runs `work` in one READ COMMITTED transaction (the pool's session level on MariaDB); with `rollback` (dry run) the result is kept and
 * every write undone. Deadlocks and lock timeouts retry the whole transaction with jittered backoff.
 */
export async function inTransaction<T>(
  orm: UpsyncOrm,
  work: (db: Gateway) => Promise<T>,
  options: { rollback: boolean; repeatableRead?: boolean },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(orm, work, options);
    } catch (error) {
      if (error instanceof Rollback) return error.value as T;
      if (isRetryable(error)) {
        if (attempt >= MAX_ATTEMPTS) throw lockRetriesExhausted(attempt, error);
        await sleep(Math.round(Math.random() * 40 * 2 ** attempt));
        continue;
      }
      if (error instanceof SyncError) throw error;
      if (isUnavailable(error)) throw databaseUnavailable(error);
      throw internalError(error);
    }
  }
}

async function attemptOnce<T>(
  orm: UpsyncOrm,
  work: (db: Gateway) => Promise<T>,
  options: { rollback: boolean; repeatableRead?: boolean },
): Promise<T> {
  const { rollback } = options;
  const internals = internalsOf(orm);
  const em = forkEm(orm);
  // MariaDB connections are READ COMMITTED from the pool (createOrm); the read-back's several
  // statements want one consistent snapshot: REPEATABLE READ for that transaction only
  const isolationLevel =
    orm.dialect === 'mysql' && options.repeatableRead ? IsolationLevel.REPEATABLE_READ : undefined;
  return em.transactional(
    async (tem) => {
      const db = new Gateway(tem, orm.dialect, {
        returning: internals.returning,
        columns: internals.columns,
      });
      const value = await work(db);
      if (rollback) throw new Rollback(value);
      return value;
    },
    { isolationLevel },
  );
}
