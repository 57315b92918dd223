import { identityConflict } from '../sync-error.js';
import type { Managed as Row } from './context.js';
import type { WarningSink } from './warnings.js';

/** One payload entry to resolve: its externalId bytes (authoritative) and its legacy key. */
export interface KeyedEntry {
  path: string;
  externalId?: unknown;
  /** matchKey of the legacy key (login, code+number, …), undefined when the entry has none. */
  legacy?: string | undefined;
  /** Human description of the entry for warnings. */
  label: string;
}

export interface Resolution {
  row: Row | undefined;
  /** Which key found the row. */
  by?: 'externalId' | 'legacy';
  /** The row was found by its legacy key and needs the payload's externalId written. */
  backfillExternalId: boolean;
}

export interface ResolveOptions {
  table: string;
  idColumn: string;
  /** matchKey of a row's legacy key (undefined when the row has none). */
  legacyOf: (row: Row) => string | undefined;
  /** Column holding the externalId ('externalId' or e.g. 'laboratoryExtPk'). */
  externalIdOf: (row: Row) => unknown;
  sameExternalId: (row: Row, entry: KeyedEntry) => boolean;
}

/**
 * sync-spec §4 key precedence, written once: the externalId wins; otherwise the legacy key adopts
 * the row and back-fills the externalId (a row keyed by another externalId is a conflict, not adopted); conflicts and duplicates take the lowest id and warn.
 */
export function resolveKeys(
  entries: KeyedEntry[],
  rows: Row[],
  opts: ResolveOptions,
  warn: WarningSink,
): Resolution[] {
  const byId = [...rows].sort((a, b) => Number(a[opts.idColumn]) - Number(b[opts.idColumn]));
  const claimed = new Set<number>();
  const out: Resolution[] = entries.map((entry) => {
    if (entry.externalId === undefined) return { row: undefined, backfillExternalId: false };
    const hits = byId.filter((row) => opts.sameExternalId(row, entry));
    const row = pickLowest(hits, entry, opts, warn, 'externalId');
    if (!row) return { row: undefined, backfillExternalId: false };
    claimed.add(Number(row[opts.idColumn]));
    return { row, by: 'externalId', backfillExternalId: false };
  });
  entries.forEach((entry, i) => {
    const found = out[i]!;
    if (entry.legacy === undefined) return;
    const hits = byId.filter((row) => opts.legacyOf(row) === entry.legacy);
    if (found.row) {
      warnLegacyConflict(found.row, hits, entry, opts, warn);
      return;
    }
    const free = hits.filter((row) => !claimed.has(Number(row[opts.idColumn])));
    if (free.length < hits.length && free.length === 0) {
      warn(
        entry.path,
        'KEY_CONFLICT',
        `${entry.label}: its legacy key belongs to ${describe(hits[0]!, opts)}, which another entry's externalId claims; a new row is created`,
      );
    }
    const row = pickLowest(free, entry, opts, warn, 'legacy key');
    if (!row) return;
    claimed.add(Number(row[opts.idColumn]));
    const ext = opts.externalIdOf(row);
    if (entry.externalId !== undefined && ext != null) {
      // The row is another portal identity: re-keying it would silently hand one person's
      // (or proposal's) ISPyB history to another. An administrator has to decide.
      throw identityConflict(
        `${entry.label}: ${describe(row, opts)}, found by its legacy key, already has a different externalId; ` +
          'refusing to re-key it. Correct the row in ISPyB, or send the externalId it holds',
        { path: entry.path },
      );
    }
    out[i] = { row, by: 'legacy', backfillExternalId: entry.externalId !== undefined };
  });
  return out;
}

function pickLowest(
  hits: Row[],
  entry: KeyedEntry,
  opts: ResolveOptions,
  warn: WarningSink,
  by: string,
): Row | undefined {
  if (hits.length > 1) {
    const ids = hits.map((r) => r[opts.idColumn]).join(', ');
    warn(
      entry.path,
      'DUPLICATE_ROWS',
      `${entry.label}: ${opts.table} rows ${ids} share the ${by}; using the lowest id`,
    );
  }
  return hits[0];
}

function warnLegacyConflict(
  row: Row,
  hits: Row[],
  entry: KeyedEntry,
  opts: ResolveOptions,
  warn: WarningSink,
): void {
  const other = hits.find((h) => h[opts.idColumn] !== row[opts.idColumn]);
  if (!other || hits.some((h) => h[opts.idColumn] === row[opts.idColumn])) return;
  warn(
    entry.path,
    'KEY_CONFLICT',
    `${entry.label}: externalId matches ${describe(row, opts)} but the legacy key matches ${describe(other, opts)}; the externalId row wins`,
  );
}

function describe(row: Row, opts: ResolveOptions): string {
  return `${opts.table} ${opts.idColumn}=${row[opts.idColumn]}`;
}

/**
 * Key precedence for a proposal's children (proteins, sessions): the externalId (16 bytes) is
 * found in any proposal, the legacy key (`keyOf`: acronym, expSessionPk) only among `proposalId`'s
 * rows. A row found in another proposal keeps it but takes the payload's legacy key: when another
 * row there already holds that key, the two now share it — the externalId row wins (§4) and the
 * result names both, as for a conflict within the proposal. `rows` must hold that proposal's rows
 * with the payload's keys (the finders fetch them with the externalId rows).
 */
export function resolveChildKeys(
  entries: KeyedEntry[],
  rows: Row[],
  child: {
    table: string;
    idColumn: string;
    /** The resolved proposal's id (undefined: a new proposal, which has no rows yet). */
    proposalId: number | undefined;
    keyOf: (row: Row) => string | undefined;
  },
  warn: WarningSink,
): Resolution[] {
  const opts: ResolveOptions = {
    table: child.table,
    idColumn: child.idColumn,
    legacyOf: (row) =>
      child.proposalId !== undefined && proposalOf(row) === child.proposalId ? child.keyOf(row) : undefined,
    externalIdOf: (row) => row.externalId,
    sameExternalId: (row, entry) =>
      Buffer.isBuffer(row.externalId) && row.externalId.equals(entry.externalId as Buffer),
  };
  const resolved = resolveKeys(entries, rows, opts, warn);
  entries.forEach((entry, i) => {
    const { row, by } = resolved[i]!;
    if (!row || by !== 'externalId' || entry.legacy === undefined) return;
    const home = proposalOf(row);
    if (home === child.proposalId || child.keyOf(row) === entry.legacy) return;
    const holder = rows.find(
      (r) =>
        proposalOf(r) === home &&
        r[child.idColumn] !== row[child.idColumn] &&
        child.keyOf(r) === entry.legacy,
    );
    if (!holder) return;
    warn(
      entry.path,
      'KEY_CONFLICT',
      `${entry.label}: externalId matches ${describe(row, opts)} of proposalId=${home}, where ${describe(holder, opts)} already has this key; the externalId row wins`,
    );
  });
  return resolved;
}

/** The id of the proposal a child entity (protein, session) belongs to. */
function proposalOf(row: Row): number | undefined {
  const id = (row.proposal as Row | null | undefined)?.proposalId;
  return id == null ? undefined : Number(id);
}
