import { ISPYB_TABLES, type TSyncResult } from '@upsync/schema';
import { SyncError, syncProposal, type UpsyncOrm } from '../../src/index.js';
import { example, sql } from './targets.js';

type Payload = Record<string, unknown>;

const NUMERIC_KEYS = new Set(['externalId', 'laboratoryExtPk', 'expSessionPk']);

/**
 * A copy of a shared example whose every identity key is its own: numeric keys shifted by the
 * serial, logins, laboratory names and the proposal number suffixed. Each occurrence of a person or
 * laboratory is rewritten the same way, so the payload still names the same identities.
 */
export function freshExample(name: 'pyispyb-create' | 'pyispyb-update', serial: number): Payload {
  const rewrite = (value: unknown, key: string, parent: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => rewrite(v, '', key || parent));
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, k, key || parent)]));
    if (NUMERIC_KEYS.has(key) && typeof value === 'number') return value + serial * 100_000;
    if (key === 'login' || key === 'proposalNumber') return `${value}.${serial}`;
    if (key === 'name' && parent === 'laboratory') return `${value} ${serial}`;
    return value;
  };
  return rewrite(example(name), '', '') as Payload;
}

/** Rows per ISPyB table, plus `history`: the sync-history rows of succeeded syncs. */
export type RowCounts = Record<string, number>;

export async function rowCounts(orm: UpsyncOrm): Promise<RowCounts> {
  const rows = await sql<{ t: string; n: number }>(
    orm,
    [
      ...ISPYB_TABLES.map((t) => `SELECT '${t}' AS t, COUNT(*) AS n FROM \`${t}\``),
      "SELECT 'history', COUNT(*) FROM upsync_sync_run WHERE outcome = 'succeeded'",
    ].join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

export function difference(after: RowCounts, before: RowCounts): RowCounts {
  return Object.fromEntries(Object.entries(after).map(([t, n]) => [t, n - (before[t] ?? 0)]));
}

/** `kind path key` → id, for every row a result reports. */
function reportedIds(result: TSyncResult): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [kind, entries] of Object.entries(result.entities))
    for (const e of entries) out[`${kind} ${e.path} ${JSON.stringify(e.key)}`] = e.id;
  return out;
}

/**
 * Why the database does not hold exactly what `result` reported for `payload`, or undefined: the
 * rows written since `before` must be `expected` (nothing lost, nothing duplicated, nothing left
 * by a failed attempt); a re-sync must change nothing (every field of the payload is stored as
 * sent) and find every row at the id the result reported.
 */
export async function inexactness(
  orm: UpsyncOrm,
  payload: Payload,
  result: TSyncResult,
  { before, expected }: { before: RowCounts; expected: RowCounts },
): Promise<string | undefined> {
  const written = difference(await rowCounts(orm), before);
  if (JSON.stringify(written) !== JSON.stringify(expected))
    return `rows written ${JSON.stringify(written)}, expected ${JSON.stringify(expected)}`;
  const again = await syncProposal(orm, payload);
  const changed = Object.entries(again.summary).filter(([, c]) => c.created + c.updated + c.deleted > 0);
  if (changed.length > 0) return `a re-sync still changes ${JSON.stringify(Object.fromEntries(changed))}`;
  const reported = reportedIds(result);
  const found = reportedIds(again);
  const wrong = Object.keys(found).filter((k) => found[k] !== reported[k]);
  if (wrong.length > 0)
    return `reported ids that are not the rows' own: ${wrong.map((k) => `${k}: ${reported[k]} ≠ ${found[k]}`).join('; ')}`;
  return undefined;
}

/** A failure the caller may retry, with nothing written (the history row of a failure aside). */
export async function unlessRetryableAndNothingWritten(
  orm: UpsyncOrm,
  error: unknown,
  before: RowCounts,
): Promise<string | undefined> {
  if (!(error instanceof SyncError) || !error.retryable)
    return `failed with ${error instanceof SyncError ? `${error.code} (not retryable)` : String(error)}: ${(error as Error).message}`;
  const written = difference(await rowCounts(orm), before);
  if (Object.values(written).some((n) => n !== 0))
    return `a retryable ${error.code}, but rows were written: ${JSON.stringify(written)}`;
  return undefined;
}
