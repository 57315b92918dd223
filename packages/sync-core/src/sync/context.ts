import type { SqlEntityManager } from '@mikro-orm/sql';
import type { TEntityKind, TEntityResult } from '@upsync/schema';
import type { IspybEntities } from '../entities/index.js';
import type { Dialect } from '../orm/database-url.js';
import type { Sql } from './look-ups.js';
import type { WarningSink } from './warnings.js';

/** A managed entity of the sync's unit of work (ISPyB row), by property name. */
export type Managed = Record<string, unknown>;

/** One result entry (sync-spec §6) whose outcome the unit of work decides at flush. */
export interface Tracked {
  kind: TEntityKind;
  path: string;
  entity: Managed;
  /** Read after the flush: new rows' ids only exist then. */
  key: () => TEntityResult['key'];
  id: () => number | null;
}

/** What every per-entity module gets: the unit of work, the warning sink and the clock. */
export interface SyncContext {
  em: SqlEntityManager;
  /** This database's entities (built from its live columns when the orm started). */
  entities: IspybEntities;
  /** Builds the look-ups' SELECTs (compiled for this database's dialect, sent by `em.execute`). */
  sql: Sql;
  /** MariaDB/MySQL sends the look-ups in one round trip; SQLite runs in process. */
  dialect: Dialect;
  warn: WarningSink;
  /** Facility-local 'YYYY-MM-DD HH:mm:ss' of this sync (BLSession.lastUpdate on create). */
  now: string;
  reconcile: boolean;
  /** Whether the live database has this column (other ISPyB flavours lack some). */
  has: (table: string, column: string) => boolean;
  /** Result entries, in the order the report lists them. */
  tracked: Tracked[];
}

/** Records a result entry for `entity` (created, updated or unchanged: decided by the flush). */
export function track(ctx: SyncContext, entry: Tracked): void {
  ctx.tracked.push(entry);
}

/** Assigns the fields of `source` that are present (undefined = absent, null clears): patch semantics. */
export function assignPresent(entity: Managed, source: object, fields: readonly string[]): void {
  const src = source as Record<string, unknown>;
  for (const field of fields) if (src[field] !== undefined) entity[field] = src[field];
}

/** The fields of `source` that are present, for `em.create`. */
export function pickPresent(source: object, fields: readonly string[]): Managed {
  const out: Managed = {};
  assignPresent(out, source, fields);
  return out;
}

/** The id of a managed entity (after the flush for new ones). */
export function idOf(entity: Managed | null | undefined, idProperty: string): number | null {
  const id = entity?.[idProperty];
  return id == null ? null : Number(id);
}
