import { type ColumnFacts, type ColumnLimits, ISPYB_TABLES, type IspybTable } from './column-limits.js';
import { DECLARATION, type FieldDeclaration } from './declaration.js';

/** Resolved facts of every column: the defaults with `limits` merged over them column by column. */
export type ResolvedLimits = { [T in IspybTable]: Record<string, ColumnFacts> };

function declaredFacts(): ResolvedLimits {
  const out = Object.fromEntries(ISPYB_TABLES.map((t) => [t, {}])) as ResolvedLimits;
  for (const { table, fields } of Object.values(DECLARATION)) {
    for (const f of Object.values(fields) as FieldDeclaration[]) out[table][f.column] = f.facts;
  }
  return out;
}

/** Column facts of the official ISPyB schema (the declaration's), the validation defaults. */
export const DEFAULT_COLUMN_LIMITS: Readonly<ResolvedLimits> = declaredFacts();

/** Merges `limits` over `DEFAULT_COLUMN_LIMITS`, column by column (a given column's facts override the default's). */
export function resolveLimits(limits: ColumnLimits = {}): ResolvedLimits {
  const out = {} as ResolvedLimits;
  for (const table of ISPYB_TABLES) {
    const merged: Record<string, ColumnFacts> = { ...DEFAULT_COLUMN_LIMITS[table] };
    for (const [column, facts] of Object.entries(limits[table] ?? {})) {
      merged[column] = { ...merged[column], ...facts };
    }
    out[table] = merged;
  }
  return out;
}
