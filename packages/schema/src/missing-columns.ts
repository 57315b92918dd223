import type { TSyncWarning } from './sync-result.js';

/**
 * What to do with a payload field whose column this ISPyB database lacks (other flavours, e.g.
 * Diamond's): `refuse` it (issue `missing_column`), or `skip` it (not written, one `MISSING_COLUMN`
 * warning per payload path).
 */
export type MissingColumns = 'refuse' | 'skip';

/** Stands for a skipped field in the parsed data until `takeSkipped` removes it (never leaves the parser). */
export const SKIPPED: unique symbol = Symbol('skipped: column missing');

/** JSON Schema markers of a field without a column: removed (refuse) or kept as a hint (skip). */
export const ABSENT_MARK = 'x-upsync-absent';
export const IGNORED_MARK = 'x-upsync-ignored';

/** Where each skipped field sits, by payload path, with the column it lacks. */
export interface SkippedField {
  path: string;
  where: string;
}

/**
 * Removes the skipped fields from parsed data (in place) and returns their paths. A skipped field
 * holds `{ [SKIPPED]: 'Table.column' }`: the column is named in its warning.
 */
export function takeSkipped(data: unknown): SkippedField[] {
  const out: SkippedField[] = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) walk(value[i], `${path}[${i}]`);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const v = record[key];
      const at = path ? `${path}.${key}` : key;
      if (isSkipped(v)) {
        out.push({ path: at, where: v[SKIPPED] });
        delete record[key];
      } else walk(v, at);
    }
  };
  walk(data, '');
  return out;
}

export const skippedValue = (where: string) => ({ [SKIPPED]: where });

function isSkipped(value: unknown): value is { [SKIPPED]: string } {
  return typeof value === 'object' && value !== null && SKIPPED in value;
}

/** One `MISSING_COLUMN` warning per skipped payload path. */
export function missingColumnWarnings(skipped: SkippedField[]): TSyncWarning[] {
  return skipped.map(({ path, where }) => ({
    path,
    code: 'MISSING_COLUMN',
    message: `not written: the column ${where} does not exist in this ISPyB database`,
  }));
}

/**
 * Sessions left without a key this database can store (their expSessionPk skipped, no externalId):
 * they cannot be found again, so they are not synced, with a warning of their own.
 */
export function unkeyedSessions(
  data: { sessions?: { externalId?: unknown }[] | null },
  skipped: SkippedField[],
): TSyncWarning[] {
  const out: TSyncWarning[] = [];
  const sessions = data.sessions ?? [];
  for (const { path, where } of skipped) {
    const m = /^sessions\[(\d+)\]\.expSessionPk$/.exec(path);
    if (!m || sessions[Number(m[1])]?.externalId !== undefined) continue;
    out.push({
      path: `sessions[${m[1]}]`,
      code: 'MISSING_COLUMN',
      message: `not synced: its only key, expSessionPk, cannot be stored (the column ${where} does not exist in this ISPyB database); send an externalId`,
    });
  }
  return out;
}
