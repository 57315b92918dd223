import type { TEntityOutcome, TEntityResult } from '@upsync/schema';
import type { Gateway, Row } from '../db/gateway.js';
import type { WarningSink } from './warnings.js';

/** What every per-entity module gets: the transaction's gateway, the warning sink and the clock. */
export interface SyncContext {
  db: Gateway;
  warn: WarningSink;
  /** Facility-local 'YYYY-MM-DD HH:mm:ss' of this sync (BLSession.lastUpdate on create). */
  now: string;
  reconcile: boolean;
}

/** One result entry (sync-spec §6). `changed` holds the columns written on update. */
export function entityResult(
  path: string,
  key: TEntityResult['key'],
  id: number | null,
  changes: { outcome: TEntityOutcome; changed?: Row },
): TEntityResult {
  const out: TEntityResult = { path, key, id, outcome: changes.outcome };
  if (changes.outcome === 'updated' && changes.changed)
    out.changedFields = Object.keys(changes.changed).map(fieldName);
  return out;
}

/** Outcome of writing `changes` to an existing row. */
export function outcomeOf(changes: Row): 'updated' | 'unchanged' {
  return Object.keys(changes).length > 0 ? 'updated' : 'unchanged';
}

// Columns whose payload field has another name
const FIELD_OF_COLUMN: Record<string, string> = { laboratoryId: 'laboratory', personId: 'person' };

function fieldName(column: string): string {
  return FIELD_OF_COLUMN[column] ?? column;
}
