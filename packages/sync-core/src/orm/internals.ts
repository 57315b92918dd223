import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { ColumnLimits, MissingColumns, TParseResult } from '@upsync/schema';
import type { RetryPolicy } from '../db/retry-budget.js';
import type { IspybEntities } from '../entities/build-entities.js';
import type { LastSynced } from '../sync/last-synced.js';
import type { Sql } from '../sync/look-ups.js';
import type { Dialect } from './database-url.js';
import type { LiveColumns, SchemaReport } from './live-columns.js';
import type { StatementHub } from './statement-hub.js';

/** The public handle: plain facts, no ORM or entity types. */
export interface UpsyncOrm {
  readonly dialect: Dialect;
  /** Facility time zone (IANA name) used for datetimes without offset and for `now`. */
  readonly timeZone: string;
  /** Live column facts for `parseSyncProposal({ limits })` (official defaults on SQLite). */
  readonly columnLimits: ColumnLimits;
  /** Tables and columns of the mapping that this database lacks. */
  readonly schemaReport: SchemaReport;
  /** A payload field whose column this database lacks: refused (default) or skipped with a warning. */
  readonly missingColumns: MissingColumns;
}

export type AttemptGuard = 'off' | 'block' | 'statements';

/** What sync-core needs behind the handle; never exported from the package. */
export interface OrmInternals {
  orm: MikroORM;
  /** The entities built for this database's live columns (MikroORM 7 finds entities by reference, not by name). */
  entities: IspybEntities;
  /** MikroORM's Kysely for the look-ups' SELECTs (built once: only its compiler is used). */
  sql: Sql;
  columns: LiveColumns;
  hub: StatementHub;
  /** Whether upsync_lock exists (MariaDB); on SQLite one connection serialises syncs. */
  lockTable: boolean;
  /** A Galera node (wsrep_on): writers bump their lock stripes so that conflicts show at certification. */
  galera: boolean;
  /**
   * How each attempt is guarded against a transaction the server ends without reporting it
   * (db/attempt-guard.ts): on Galera nodes, as anonymous blocks on MariaDB, statement by statement
   * on MySQL; `off` on a single server, where every abort is reported (deadlock, lock wait time-out,
   * killed connection) and the guard would only add round trips. Tests switch it on for a single
   * MariaDB, to run the guard without a cluster.
   */
  attemptGuard: AttemptGuard;
  /** How retries of a transaction are bounded: by count on one server, by time on Galera (db/retry-budget.ts). */
  retryPolicy: RetryPolicy;
  /** Whether upsync_sync_run exists: a succeeded sync then records its history row in its own transaction. */
  historyTable: boolean;
  /** Payload parsers built once per (unknownKeys, timeZone) with this database's live limits. */
  parsers: Map<string, (input: unknown) => TParseResult>;
  /** What upsert reads of each kind's declaration and live columns, built at its first sync (sync/upsert.ts). */
  keyPlans: Map<string, object>;
  /** What this handle last synced per proposal: which syncs read first (sync/last-synced.ts). */
  lastSynced: LastSynced;
}

const registry = new WeakMap<UpsyncOrm, OrmInternals>();

export function registerInternals(handle: UpsyncOrm, internals: OrmInternals): void {
  registry.set(handle, internals);
}

/** The internals of a handle created by createOrm. */
export function internalsOf(handle: UpsyncOrm): OrmInternals {
  const found = registry.get(handle);
  if (!found) throw new TypeError('not an UpsyncOrm created by createOrm()');
  return found;
}

/** A fresh EntityManager for one unit of work (no global context). */
export function forkEm(handle: UpsyncOrm): SqlEntityManager {
  return internalsOf(handle).orm.em.fork() as SqlEntityManager;
}
