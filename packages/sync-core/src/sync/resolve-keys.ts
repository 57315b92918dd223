import { identityConflict } from '../sync-error.js';
import type { WarningSink } from './context.js';

/** One payload entry to resolve: its rank-1 key (authoritative) and its legacy (rank-2) key. */
export interface KeyedEntry {
  path: string;
  /** The rank-1 key as stored (externalId bytes, laboratoryExtPk), undefined when the entry has none. */
  first: Buffer | number | undefined;
  /** matchKey of the legacy key (login, code+number, …), undefined when the entry has none. */
  legacy: string | undefined;
  /** Human description of the entry for warnings. */
  label: string;
}

export interface Resolution<R> {
  row: R | undefined;
  /** Which key found the row. */
  by?: 'first' | 'legacy';
}

/** How the rows of one table are read for key precedence. */
export interface RowKeys<R> {
  table: string;
  idColumn: string;
  id: (row: R) => number;
  first: (row: R) => unknown;
  /** matchKey of a row's legacy key (undefined when it has none). */
  legacy: (row: R) => string | undefined;
  /**
   * A proposal's child (proteins, sessions): the legacy key matches only rows of the resolved
   * proposal (undefined: a new one, which has none); the rank-1 key matches in any proposal.
   */
  child?: { proposalId: number | undefined; proposalOf: (row: R) => number | undefined };
}

/**
 * sync-spec §4 key precedence, written once: the rank-1 key wins; otherwise the legacy key adopts
 * the row and back-fills the rank-1 key (a row keyed by another one is a conflict, not adopted);
 * conflicts and duplicates take the lowest id and warn.
 */
export function resolveKeys<R>(
  entries: KeyedEntry[],
  rows: R[],
  keys: RowKeys<R>,
  warn: WarningSink,
): Resolution<R>[] {
  const byId = [...rows].sort((a, b) => keys.id(a) - keys.id(b));
  const child = keys.child;
  const legacyOf = (row: R) =>
    !child || (child.proposalId !== undefined && child.proposalOf(row) === child.proposalId)
      ? keys.legacy(row)
      : undefined;
  // a warning about `entry`, named by its label
  const noteOn =
    (entry: KeyedEntry): Note =>
    (code, message) =>
      warn(entry.path, code, `${entry.label}: ${message}`);
  const claimed = new Set<number>();
  const out: Resolution<R>[] = entries.map((entry) => {
    if (entry.first === undefined) return { row: undefined };
    const hits = byId.filter((r) => sameKey(keys.first(r), entry.first));
    const row = pickLowest(hits, keys, noteOn(entry), 'externalId');
    if (row) claimed.add(keys.id(row));
    return row ? { row, by: 'first' } : { row: undefined };
  });
  entries.forEach((entry, i) => {
    if (entry.legacy === undefined) return;
    const hits = byId.filter((row) => legacyOf(row) === entry.legacy);
    const found = out[i]!.row;
    if (found) {
      warnLegacyConflict(found, hits, keys, noteOn(entry));
      return;
    }
    const free = hits.filter((row) => !claimed.has(keys.id(row)));
    if (free.length < hits.length && free.length === 0) {
      noteOn(entry)(
        'KEY_CONFLICT',
        `its legacy key belongs to ${describe(hits[0]!, keys)}, which another entry's externalId claims; a new row is created`,
      );
    }
    const row = pickLowest(free, keys, noteOn(entry), 'legacy key');
    if (!row) return;
    claimed.add(keys.id(row));
    if (entry.first !== undefined && keys.first(row) != null) {
      // The row is another portal identity: re-keying it would silently hand one person's
      // (or proposal's) ISPyB history to another. An administrator has to decide.
      throw identityConflict(
        `${entry.label}: ${describe(row, keys)}, found by its legacy key, already has a different externalId; ` +
          'refusing to re-key it. Correct the row in ISPyB, or send the externalId it holds',
        { path: entry.path },
      );
    }
    out[i] = { row, by: 'legacy' };
  });
  if (child)
    entries.forEach((entry, i) => {
      const { row, by } = out[i]!;
      if (row && by === 'first' && entry.legacy !== undefined)
        warnHeldElsewhere(row, rows, entry.legacy, keys, noteOn(entry));
    });
  return out;
}

/** Whether a stored rank-1 key is the entry's: 16 bytes compared as bytes, an integer as a number. */
function sameKey(stored: unknown, given: Buffer | number | undefined): boolean {
  if (Buffer.isBuffer(given)) return Buffer.isBuffer(stored) && stored.equals(given);
  return stored != null && Number(stored) === given;
}

/** A warning about one entry: `<label>: <message>` at its path. */
type Note = (code: string, message: string) => void;

function pickLowest<R>(hits: R[], keys: RowKeys<R>, note: Note, by: string): R | undefined {
  if (hits.length > 1)
    note(
      'DUPLICATE_ROWS',
      `${keys.table} rows ${hits.map(keys.id).join(', ')} share the ${by}; using the lowest id`,
    );
  return hits[0];
}

function warnLegacyConflict<R>(row: R, hits: R[], keys: RowKeys<R>, note: Note): void {
  const other = hits.find((h) => keys.id(h) !== keys.id(row));
  if (!other || hits.some((h) => keys.id(h) === keys.id(row))) return;
  note(
    'KEY_CONFLICT',
    `externalId matches ${describe(row, keys)} but the legacy key matches ${describe(other, keys)}; the externalId row wins`,
  );
}

/**
 * A child found by its rank-1 key in another proposal keeps it but takes the payload's legacy
 * key: when another row there already holds that key, the two now share it — the externalId row
 * wins (§4) and the result names both. `rows` hold that proposal's rows with the payload's keys.
 */
function warnHeldElsewhere<R>(row: R, rows: R[], legacy: string, keys: RowKeys<R>, note: Note): void {
  const home = keys.child!.proposalOf(row);
  if (home === keys.child!.proposalId || keys.legacy(row) === legacy) return;
  const holder = rows.find(
    (r) => keys.child!.proposalOf(r) === home && keys.id(r) !== keys.id(row) && keys.legacy(r) === legacy,
  );
  if (!holder) return;
  note(
    'KEY_CONFLICT',
    `externalId matches ${describe(row, keys)} of proposalId=${home}, where ${describe(holder, keys)} already has this key; the externalId row wins`,
  );
}

function describe<R>(row: R, keys: RowKeys<R>): string {
  return `${keys.table} ${keys.idColumn}=${keys.id(row)}`;
}
