import type { UpsyncOrm } from '../../src/index.js';
import { internalsOf } from '../../src/orm/internals.js';

type Callback = (error: Error | null, ...rest: unknown[]) => void;
interface RawConnection {
  query(...args: unknown[]): unknown;
  release(): void;
}
/** The mysql2 pool under MikroORM's connection (Kysely takes each connection with getConnection). */
interface Pool {
  getConnection(callback: (error: Error | null, connection: RawConnection) => void): void;
}

/**
 * How the injected abort shows:
 * - `silent`: the transaction is rolled back and the statement then runs as sent, with nothing
 *   reported — a Galera brute-force abort that lands during an INSERT … RETURNING.
 * - `deadlock`: the transaction is rolled back and the statement answers 1213 instead of running —
 *   InnoDB's deadlock victim, or a reported brute-force abort (the same retry path).
 * - `unavailable`: rolled back, and the statement answers 1047 — a Galera node that has left the
 *   primary component refuses every statement.
 */
export type AbortMode = 'silent' | 'deadlock' | 'unavailable';

interface Plan {
  k: number;
  mode: AbortMode;
  /** The connection of the transaction the first BEGIN after `arm` opened (only its statements count). */
  connection?: RawConnection;
  /** Its statements after BEGIN, as sent (the injected ones are not among them). */
  statements: string[];
  fired: boolean;
  /** That connection went back to the pool: later transactions (the retry) are left alone. */
  done: boolean;
}

export interface AbortInjector {
  /** Abort the next transaction right before its `k`-th statement after BEGIN (1-based), once. */
  arm(k: number, mode?: AbortMode): void;
  /** Whether the abort happened since `arm`. */
  readonly fired: boolean;
  /** The statements the armed transaction sent after its BEGIN (to choose K, to explain a failure). */
  readonly statements: readonly string[];
  disarm(): void;
}

const WRAPPED = Symbol('inject-abort');
const BEGIN = /^\s*(begin|start\s+transaction)\b/i;
// the reported aborts: a real server error through mysql2's real error path, not a fabricated object
const SIGNALS: Record<Exclude<AbortMode, 'silent'>, string> = {
  deadlock:
    "SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'Deadlock found when trying to get lock; try restarting transaction'",
  unavailable:
    "SIGNAL SQLSTATE '08S01' SET MYSQL_ERRNO = 1047, MESSAGE_TEXT = 'WSREP has not yet prepared node for application use'",
};

/**
 * Fault injection at the real driver, for tests: the server ends the attempt's transaction right
 * before a chosen statement, by a plain `ROLLBACK` sent on the attempt's own mysql2 connection
 * (its answer swallowed, unseen by onStatement/countStatements); see AbortMode for what the
 * statement then does. Patches only this handle's mysql2 pool (its getConnection wraps each
 * pooled connection's `query` and `release` once); nothing of it is in the package's production code.
 */
export async function injectAbort(orm: UpsyncOrm): Promise<AbortInjector> {
  const connection = internalsOf(orm).orm.em.getConnection() as unknown as {
    getNativeClient(): Promise<Pool>;
  };
  const pool = await connection.getNativeClient();
  let plan: Plan | undefined;

  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (callback) =>
    getConnection((error, conn) => callback(error, error ? conn : wrap(conn)));

  function wrap(conn: RawConnection): RawConnection {
    const marked = conn as RawConnection & { [WRAPPED]?: true };
    if (marked[WRAPPED]) return conn;
    marked[WRAPPED] = true;
    const release = conn.release.bind(conn);
    conn.release = () => {
      if (plan?.connection === conn) plan.done = true;
      release();
    };
    const query = conn.query.bind(conn);
    conn.query = (...args: unknown[]) => {
      const [sqlOrOptions, , callback] = args as [string | { sql?: string }, unknown, Callback?];
      const sql = typeof sqlOrOptions === 'string' ? sqlOrOptions : sqlOrOptions?.sql;
      if (!plan || plan.done || typeof sql !== 'string' || typeof callback !== 'function')
        return query(...args);
      if (!plan.connection) {
        if (BEGIN.test(sql)) plan.connection = conn;
        return query(...args);
      }
      if (plan.connection !== conn) return query(...args);
      plan.statements.push(sql);
      if (plan.fired || plan.statements.length !== plan.k) return query(...args);
      plan.fired = true;
      const { mode } = plan;
      query('ROLLBACK', () => (mode === 'silent' ? query(...args) : query(SIGNALS[mode], callback)));
      return undefined;
    };
    return conn;
  }

  return {
    arm(k, mode = 'silent') {
      plan = { k, mode, statements: [], fired: false, done: false };
    },
    get fired() {
      return plan?.fired ?? false;
    },
    get statements() {
      return plan?.statements ?? [];
    },
    disarm() {
      plan = undefined;
    },
  };
}
