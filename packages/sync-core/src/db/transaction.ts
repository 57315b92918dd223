import { setTimeout as sleep } from 'node:timers/promises';
import { HistoryWriteFailed } from '../history/history-errors.js';
import { forkEm, internalsOf, type OrmInternals, type UpsyncOrm } from '../orm/internals.js';
import { databaseUnavailable, internalError, lockRetriesExhausted, SyncError } from '../sync-error.js';
import {
  isRetryable,
  isUnavailable,
  type RetryReason,
  retryReason,
  TransactionLost,
} from './driver-errors.js';
import { EmSession } from './em-session.js';
import { Gateway } from './gateway.js';
import { MysqlSession, type RawMysqlConnection } from './mysql-session.js';
import { type Session, StatementNotRun } from './session.js';

/**
 * Attempts of one transaction, and the backoff between them (jittered, capped): about 3.5 s in
 * all at worst, enough for a Galera cluster's membership change (its syncs are certification
 * conflicts and brute-force aborts until the new view is installed) and still bounded.
 */
export const MAX_ATTEMPTS = 8;
/** Lock wait time-outs cost a whole `innodb_lock_wait_timeout` each: at most this many attempts. */
export const LOCK_WAIT_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 25;
const BACKOFF_CAP_MS = 1_000;

class Rollback<T> {
  constructor(readonly value: T) {}
}

interface TransactionOptions {
  /** Do the work, keep its result, undo every write (dry run, read-back). */
  rollback: boolean;
  /** REPEATABLE READ for this transaction (the read-back's consistent snapshot). */
  repeatableRead?: boolean;
  /** Told before each retry, with why (metrics). */
  onRetry?: (reason: RetryReason) => void;
}

/**
 * Runs `work` in one READ COMMITTED transaction (the pool's session level on MariaDB); with `rollback` (dry run) the result is kept and
 * every write undone. Deadlocks, lock timeouts, certification conflicts and lost transactions
 * retry the whole transaction with jittered backoff: each attempt starts from nothing (`work`
 * builds its gateway, ids and found rows afresh).
 */
export async function inTransaction<T>(
  orm: UpsyncOrm,
  work: (db: Gateway) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  const attemptOnce = orm.dialect === 'mysql' ? attemptOnMysql : attemptOnEm;
  let lockWaits = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(orm, work, options);
    } catch (thrown) {
      if (thrown instanceof Rollback) return thrown.value as T;
      // a statement dropped because another failed first: that failure is the one to classify
      const error = thrown instanceof StatementNotRun ? thrown.cause : thrown;
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
      if (error instanceof SyncError || error instanceof HistoryWriteFailed) throw error;
      if (isUnavailable(error)) throw databaseUnavailable(error);
      throw internalError(error);
    }
  }
}

function gatewayOf(orm: UpsyncOrm, internals: OrmInternals, session: Session): Gateway {
  return new Gateway(session, orm.dialect, { returning: internals.returning, columns: internals.columns });
}

/** The knex client behind MikroORM's MariaDB connection: its pool hands out raw mysql2 connections. */
interface PoolClient {
  acquireConnection(): Promise<RawMysqlConnection>;
  releaseConnection(connection: RawMysqlConnection): Promise<unknown>;
}

function poolOf(internals: OrmInternals): PoolClient {
  const connection = internals.orm.em.getConnection() as unknown as { getKnex(): { client: PoolClient } };
  return connection.getKnex().client;
}

/** Marks the start of an attempt's transaction: it exists exactly while that transaction does. */
const SAVEPOINT = 'upsync_attempt';

/**
 * MariaDB: BEGIN/COMMIT by hand on a raw pooled connection, so that BEGIN travels with the first
 * look-ups and the lock bump with COMMIT (one round trip each fewer). The pool's validation
 * drops a connection that died meanwhile (KILL, server restart) instead of handing it out again.
 *
 * The server may end the transaction without any statement reporting it: on Galera, a
 * brute-force abort (a replicated write wins a lock) that lands while an INSERT … RETURNING runs
 * is swallowed, and the rest of the multi-statement batch goes on outside the transaction. With
 * autocommit on, those statements committed one by one and COMMIT then committed nothing and
 * answered OK: a 200 for rows that did not exist, or a foreign-key failure (a child of a
 * rolled-back parent) reported as a constraint violation. So the attempt runs with autocommit off
 * (statements after such an abort stay uncommitted and are rolled back), and a savepoint taken
 * with BEGIN is released just before COMMIT: when it is gone, the transaction is, and the attempt
 * fails as retryable instead of committing. After any other failure the savepoint tells the same
 * (a constraint violation of a statement that ran outside the transaction is not the payload's fault).
 */
async function attemptOnMysql<T>(
  orm: UpsyncOrm,
  work: (db: Gateway) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  const internals = internalsOf(orm);
  const pool = poolOf(internals);
  const connection = await pool.acquireConnection();
  const session = new MysqlSession(connection, internals.hub);
  try {
    session.defer('SET autocommit = 0');
    // READ COMMITTED is the pooled connections' level (createOrm); the read-back's several
    // statements want one snapshot: REPEATABLE READ for that transaction only
    if (options.repeatableRead) session.defer('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    session.defer('START TRANSACTION');
    session.defer(`SAVEPOINT ${SAVEPOINT}`);
    const value = await work(gatewayOf(orm, internals, session));
    if (options.rollback) session.defer('ROLLBACK');
    else {
      session.defer(`RELEASE SAVEPOINT ${SAVEPOINT}`, [], {
        describe: (error) => (errnoOf(error) === SAVEPOINT_MISSING ? new TransactionLost(error) : error),
      });
      session.defer('COMMIT');
    }
    session.defer('SET autocommit = 1');
    await session.flush();
    if (options.rollback) throw new Rollback(value);
    return value;
  } catch (error) {
    if (error instanceof Rollback) throw error;
    const lost = await transactionLost(session, error);
    await session.abandon(true);
    throw lost ? new TransactionLost(error) : error;
  } finally {
    session.close();
    await pool.releaseConnection(connection);
  }
}

const SAVEPOINT_MISSING = 1305;

function errnoOf(error: unknown): number | undefined {
  return (error as { errno?: number } | null)?.errno;
}

/** After a failure that would not be retried: was the transaction already gone (savepoint missing)? */
async function transactionLost(session: MysqlSession, thrown: unknown): Promise<boolean> {
  const error = thrown instanceof StatementNotRun ? thrown.cause : thrown;
  if (error instanceof TransactionLost || isRetryable(error) || isUnavailable(error)) return false;
  const probe = await session.probe(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
  // a Galera brute-force abort not yet reported answers the next statement with 1213
  return errnoOf(probe) === SAVEPOINT_MISSING || (probe !== null && isRetryable(probe));
}

/** The embedded SQLite database: MikroORM's transaction on a forked EntityManager. */
async function attemptOnEm<T>(
  orm: UpsyncOrm,
  work: (db: Gateway) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  const internals = internalsOf(orm);
  return forkEm(orm).transactional(async (tem) => {
    const session = new EmSession(tem);
    try {
      const value = await work(gatewayOf(orm, internals, session));
      await session.flush();
      if (options.rollback) throw new Rollback(value);
      return value;
    } catch (error) {
      // nothing queued may reach the connection after MikroORM's ROLLBACK
      await session.abandon(false);
      throw error;
    } finally {
      session.close();
    }
  });
}
