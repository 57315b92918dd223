import type { SqlEntityManager } from '@mikro-orm/sql';
import type { TEntityKind, TEntityResult } from '@upsync/schema';
import type { IspybEntities, IspybEntityName } from '../entities/build-entities.js';
import type { IspybDb } from '../entities/ispyb-rows.js';
import type { Dialect } from '../orm/database-url.js';
import type { Sql } from './look-ups.js';

/** Where a sync's warnings go (key conflicts, duplicates found, values stripped). */
export type WarningSink = (path: string, code: string, message: string) => void;

/** One result entry (sync-spec §6) whose outcome the unit of work decides at flush. */
export interface Tracked {
  kind: TEntityKind;
  path: string;
  entity: object;
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
  /** Facility-local 'YYYY-MM-DD HH:mm:ss' now (BLSession.lastUpdate on create): the attempt's, formatted only when asked. */
  now: () => string;
  reconcile: boolean;
  /** Whether the live database has this column (other ISPyB flavours lack some). */
  has: <N extends IspybEntityName>(table: N, column: keyof IspybDb[N] & string) => boolean;
  /** The orm's per-kind key plans (sync/upsert.ts): static for one database, so built once. */
  keyPlans: Map<string, object>;
  /** Result entries, in the order the report lists them (created, updated or unchanged: decided by the flush). */
  tracked: Tracked[];
}

/** An id as the result reports it (null for a row not flushed yet). */
export function idOf(id: unknown): number | null {
  return id == null ? null : Number(id);
}
