import { setTimeout as sleep } from 'node:timers/promises';
import { HistoryWriteFailed } from '../history/history-errors.js';
import { forkEm, internalsOf, type OrmInternals, type UpsyncOrm } from '../orm/internals.js';
import { databaseUnavailable, internalError, lockRetriesExhausted, SyncError } from '../sync-error.js';
import { isRetryable, isUnavailable } from './driver-errors.js';
import { EmSession } from './em-session.js';
import { Gateway } from './gateway.js';
import { MysqlSession, type RawMysqlConnection } from './mysql-session.js';
import { type Session, StatementNotRun } from './session.js';

export const MAX_ATTEMPTS = 5;

class Rollback<T> {
  constructor(readonly value: T) {}
}

interface TransactionOptions {
  /** Do the work, keep its result, undo every write (dry run, read-back). */
  rollback: boolean;
  /** REPEATABLE READ for this transaction (the read-back's consistent snapshot). */
  repeatableRead?: boolean;
}

/**
 * Runs `work` in one READ COMMITTED transaction (the pool's session level on MariaDB); with `rollback` (dry run) the result is kept and
 * every write undone. Deadlocks and lock timeouts retry the whole transaction with jittered backoff.
 */
export async function inTransaction<T>(
  orm: UpsyncOrm,
  work: (db: Gateway) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  const attemptOnce = orm.dialect === 'mysql' ? attemptOnMysql : attemptOnEm;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(orm, work, options);
    } catch (thrown) {
      if (thrown instanceof Rollback) return thrown.value as T;
      // a statement dropped because another failed first: that failure is the one to classify
      const error = thrown instanceof StatementNotRun ? thrown.cause : thrown;
      if (isRetryable(error)) {
        if (attempt >= MAX_ATTEMPTS) throw lockRetriesExhausted(attempt, error);
        await sleep(Math.round(Math.random() * 40 * 2 ** attempt));
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

/**
 * MariaDB: BEGIN/COMMIT by hand on a raw pooled connection, so that BEGIN travels with the first
 * look-ups and the lock bump with COMMIT (one round trip each fewer). The pool's validation
 * drops a connection that died meanwhile (KILL, server restart) instead of handing it out again.
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
    // READ COMMITTED is the pooled connections' level (createOrm); the read-back's several
    // statements want one snapshot: REPEATABLE READ for that transaction only
    if (options.repeatableRead) session.defer('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    session.defer('START TRANSACTION');
    const value = await work(gatewayOf(orm, internals, session));
    session.defer(options.rollback ? 'ROLLBACK' : 'COMMIT');
    await session.flush();
    if (options.rollback) throw new Rollback(value);
    return value;
  } catch (error) {
    if (!(error instanceof Rollback)) await session.abandon(true);
    throw error;
  } finally {
    session.close();
    await pool.releaseConnection(connection);
  }
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
