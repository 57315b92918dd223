import type { ColumnFacts, ColumnLimits, MissingColumns } from '@upsync/schema';
import { declaredColumns } from '../entities/build-entities.js';

/** Per ISPyB table: the columns this deployment has (absent table → not in the map). */
export type LiveColumns = Map<string, Set<string>>;

export interface SchemaReport {
  missingTables: string[];
  missingColumns: { table: string; column: string }[];
  /** Human-readable lines for the start-up log; empty when the database matches the mapping. */
  lines: string[];
}

export interface InformationSchemaRow {
  TABLE_NAME: string;
  COLUMN_NAME: string;
  DATA_TYPE: string;
  COLUMN_TYPE: string;
  CHARACTER_MAXIMUM_LENGTH: number | string | null;
  CHARACTER_SET_NAME: string | null;
  IS_NULLABLE: string;
}

/** Parses `enum('a','b')` into its values. */
function enumValues(columnType: string): string[] | undefined {
  const m = /^enum\((.*)\)$/i.exec(columnType);
  if (!m) return undefined;
  return [...m[1]!.matchAll(/'((?:[^']|'')*)'/g)].map((v) => v[1]!.replaceAll("''", "'"));
}

function factsOf(row: InformationSchemaRow): ColumnFacts {
  const facts: ColumnFacts = { present: true, nullable: row.IS_NULLABLE === 'YES' };
  const isText = /char|text/i.test(row.DATA_TYPE);
  if (isText && row.CHARACTER_MAXIMUM_LENGTH != null) facts.maxLength = Number(row.CHARACTER_MAXIMUM_LENGTH);
  if (row.CHARACTER_SET_NAME != null) facts.latin1 = row.CHARACTER_SET_NAME.toLowerCase() === 'latin1';
  const values = enumValues(row.COLUMN_TYPE);
  if (values) facts.enumValues = values;
  return facts;
}

/** Builds the schema package's limits, the live column sets and the report of missing tables/columns. */
export function readLiveColumns(rows: InformationSchemaRow[], missingColumns: MissingColumns = 'refuse') {
  const limits: Record<string, Record<string, ColumnFacts>> = {};
  const columns: LiveColumns = new Map();
  for (const row of rows) {
    limits[row.TABLE_NAME] ??= {};
    limits[row.TABLE_NAME]![row.COLUMN_NAME] = factsOf(row);
    columns.set(row.TABLE_NAME, (columns.get(row.TABLE_NAME) ?? new Set()).add(row.COLUMN_NAME));
  }
  const report: SchemaReport = { missingTables: [], missingColumns: [], lines: [] };
  for (const [table, expected] of declaredColumns()) {
    const live = columns.get(table);
    if (!live) report.missingTables.push(table);
    limits[table] ??= {};
    const facts = limits[table]!;
    for (const column of expected) {
      if (live?.has(column)) continue;
      facts[column] = { present: false };
      if (live) report.missingColumns.push({ table, column });
    }
  }
  for (const t of report.missingTables)
    report.lines.push(`ISPyB table ${t} is missing: syncs cannot write it`);
  for (const c of report.missingColumns) {
    report.lines.push(
      `column ${c.table}.${c.column} is missing: payload fields stored there are ${missingColumns === 'skip' ? 'skipped (not written, with a MISSING_COLUMN warning)' : 'refused'}`,
    );
  }
  return { limits: limits as ColumnLimits, columns, report };
}

/** Live columns when the database is known to match the mapping exactly (the embedded SQLite database). */
export function mappedLiveColumns(): LiveColumns {
  return new Map([...declaredColumns()].map(([t, cols]) => [t, new Set(cols)]));
}
