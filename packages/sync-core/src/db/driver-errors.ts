/** Classification of driver errors (mysql2 / node:sqlite, possibly wrapped by MikroORM's DriverException). */
interface DriverErrorShape {
  errno?: number;
  code?: string;
  sqlState?: string;
  /** node:sqlite: SQLite's (extended) result code; its low byte is the primary code. */
  errcode?: number;
  message?: string;
  /** mysql2: the error closed the connection. */
  fatal?: boolean;
  cause?: unknown;
}

// SQLite's primary result codes (node:sqlite reports them as `errcode`, `code` being ERR_SQLITE_ERROR)
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_CONSTRAINT = 19;

/** The primary SQLite result code of a node:sqlite error, or undefined. */
function sqliteCode(e: DriverErrorShape): number | undefined {
  return typeof e.errcode === 'number' && e.code === 'ERR_SQLITE_ERROR' ? e.errcode & 0xff : undefined;
}

function sqliteBusy(e: DriverErrorShape): boolean {
  const code = sqliteCode(e);
  return code === SQLITE_BUSY || code === SQLITE_LOCKED;
}

function chain(error: unknown): DriverErrorShape[] {
  const out: DriverErrorShape[] = [];
  let e: unknown = error;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    out.push(e as DriverErrorShape);
    e = (e as DriverErrorShape).cause;
  }
  return out;
}

// 1213 deadlock (also Galera certification failures and brute-force aborts), 1205 lock wait
// timeout, 1020 record changed, 40001 serialization failure; 1180 "error during COMMIT" (Galera: the
// node lost the primary component while committing: nothing was committed); SQLITE_BUSY when
// another process holds the embedded file
const RETRY_ERRNOS = new Set([1213, 1205, 1020, 1180]);
const RETRY_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
// EPIPE: a batch written to a socket the server had already closed (a node killed between two
// round trips: Node's "This socket has been ended by the other party")
const DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_ACCESS_DENIED_ERROR',
]);
// 1047 ER_UNKNOWN_COM_ERROR: on Galera "WSREP has not yet prepared node for application use" (the
// node is not in the primary component: it refuses every statement until it rejoins); 1927
// connection killed
const DOWN_ERRNOS = new Set([1040, 1047, 1053, 1927, 2002, 2003, 2006, 2013]);

/**
 * The transaction this attempt began is gone although no statement reported it (a Galera
 * brute-force abort: db/attempt-guard.ts). Retried like a deadlock.
 */
export class TransactionLost extends Error {
  override readonly name = 'TransactionLost';
  constructor(override readonly cause?: unknown) {
    super('the transaction was rolled back by the server during the attempt');
  }
}

/** The first errno along the error's cause chain. */
export function errnoOf(error: unknown): number | undefined {
  return chain(error).find((e) => e.errno !== undefined)?.errno;
}

/** Deadlock, lock wait timeout or serialization failure: the whole transaction may be retried. */
export function isRetryable(error: unknown): boolean {
  return chain(error).some(
    (e) =>
      e instanceof TransactionLost ||
      RETRY_ERRNOS.has(e.errno ?? -1) ||
      RETRY_CODES.has(e.code ?? '') ||
      sqliteBusy(e) ||
      e.sqlState === '40001',
  );
}

/**
 * The database is down or unreachable. mysql2 marks every error that closed the connection
 * `fatal` (also "Can't add new command when connection is in closed state", which has no code).
 */
export function isUnavailable(error: unknown): boolean {
  return chain(error).some(
    (e) =>
      DOWN_CODES.has(e.code ?? '') ||
      e.fatal === true ||
      DOWN_ERRNOS.has(e.errno ?? -1) ||
      TRANSACTION_GONE.test(e.message ?? ''),
  );
}

/** Why an attempt is retried, as counted in metrics (`upsync_sync_retries_total{reason}`). */
export type RetryReason =
  | 'certification_conflict'
  | 'deadlock'
  | 'lock_wait_timeout'
  | 'commit_failed'
  | 'transaction_lost'
  | 'busy';

/**
 * The reason label of a retryable error (see isRetryable). On a Galera node a 1213 is counted as a
 * certification conflict: certification failures and brute-force aborts answer InnoDB's deadlock
 * text there (only some builds say WSREP), and the lock stripes make local deadlocks rare.
 */
export function retryReason(error: unknown, galera = false): RetryReason {
  for (const e of chain(error)) {
    if (e instanceof TransactionLost) return 'transaction_lost';
    if (e.errno === 1213)
      return galera || /wsrep/i.test(e.message ?? '') ? 'certification_conflict' : 'deadlock';
    if (e.errno === 1205) return 'lock_wait_timeout';
    if (e.errno === 1180) return 'commit_failed';
    if (sqliteBusy(e)) return 'busy';
  }
  return 'deadlock';
}

/** A constraint (unique, foreign key, not null, check) refused a write. */
export function isConstraint(error: unknown): boolean {
  return chain(error).some(
    (e) =>
      [1062, 1451, 1452, 1048, 1364, 4025, 1644].includes(e.errno ?? -1) ||
      sqliteCode(e) === SQLITE_CONSTRAINT ||
      e.sqlState === '23000' ||
      e.sqlState === '45000',
  );
}

/** A table does not exist (MariaDB 1146, SQLite "no such table"). */
export function isMissingTable(error: unknown): boolean {
  return chain(error).some((e) => e.errno === 1146 || /no such table/i.test(e.message ?? ''));
}

// the server went away mid-attempt (KILL, a node leaving the cluster): the transaction is gone
// with it, and a fresh connection may well work
const LOST_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ER_CONNECTION_KILLED']);
const LOST_ERRNOS = new Set([1927, 2006, 2013]);

// Kysely's answer to a statement of a transaction it has already ended (the attempt's connection
// failed and the transaction was rolled back while another of its statements was on the way)
const TRANSACTION_GONE = /Transaction is already (committed|rolled back)/;

/** The connection was lost during the attempt (not: the database cannot be reached at all). */
export function isConnectionLost(error: unknown): boolean {
  return chain(error).some(
    (e) =>
      LOST_CODES.has(e.code ?? '') ||
      LOST_ERRNOS.has(e.errno ?? -1) ||
      TRANSACTION_GONE.test(e.message ?? ''),
  );
}
