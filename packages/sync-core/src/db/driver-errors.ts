/** Classification of driver errors (mysql2 / better-sqlite3, possibly wrapped by MikroORM). */
interface DriverErrorShape {
  errno?: number;
  code?: string;
  sqlState?: string;
  cause?: unknown;
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

// 1213 deadlock (also Galera certification failures), 1205 lock wait timeout, 1020 record changed,
// 1047 WSREP has not yet prepared node for application use, 1180 error during COMMIT (a Galera
// commit that lost certification), 40001 serialization failure; SQLITE_BUSY when another process
// holds the embedded file
const RETRY_ERRNOS = new Set([1213, 1205, 1020, 1047, 1180]);
const RETRY_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY', 'SQLITE_LOCKED']);
const DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_ACCESS_DENIED_ERROR',
]);
const DOWN_ERRNOS = new Set([1040, 1053, 2002, 2003, 2006, 2013]);

/** Deadlock, lock wait timeout or serialization failure: the whole transaction may be retried. */
export function isRetryable(error: unknown): boolean {
  return chain(error).some(
    (e) => RETRY_ERRNOS.has(e.errno ?? -1) || RETRY_CODES.has(e.code ?? '') || e.sqlState === '40001',
  );
}

/** The database is down or unreachable. */
export function isUnavailable(error: unknown): boolean {
  return chain(error).some((e) => DOWN_CODES.has(e.code ?? '') || DOWN_ERRNOS.has(e.errno ?? -1));
}

/** A constraint (unique, foreign key, not null, check) refused a write. */
export function isConstraint(error: unknown): boolean {
  return chain(error).some(
    (e) =>
      [1062, 1451, 1452, 1048, 1364, 4025, 1644].includes(e.errno ?? -1) ||
      (e.code ?? '').startsWith('SQLITE_CONSTRAINT') ||
      e.sqlState === '23000' ||
      e.sqlState === '45000',
  );
}

/** A table does not exist (MariaDB 1146, SQLite "no such table"). */
export function isMissingTable(error: unknown): boolean {
  return chain(error).some(
    (e) => e.errno === 1146 || /no such table/i.test((e as { message?: string }).message ?? ''),
  );
}

// the server went away mid-attempt (KILL, a node leaving the cluster): the transaction is gone
// with it, and a fresh connection may well work
const LOST_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'ER_CONNECTION_KILLED']);
const LOST_ERRNOS = new Set([1927, 2006, 2013]);

/** The connection was lost during the attempt (not: the database cannot be reached at all). */
export function isConnectionLost(error: unknown): boolean {
  return chain(error).some((e) => LOST_CODES.has(e.code ?? '') || LOST_ERRNOS.has(e.errno ?? -1));
}
