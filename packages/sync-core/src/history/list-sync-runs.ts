import {
  splitProposalKey,
  type TSyncRun,
  type TSyncRunPage,
  type TSyncRunQueryInput,
  ZSyncRunQuery,
} from '@upsync/schema';
import { internalsOf, type UpsyncOrm } from '../orm/internals.js';
import { validationFailed } from '../sync-error.js';
import { historyError } from './history-errors.js';

type Row = Record<string, unknown>;

/** The opaque cursor of a page: base64url of the last id shown. */
export function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number | null {
  const match = /^id:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}

const json = <T>(text: unknown, fallback: T): T => {
  if (typeof text !== 'string' || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

function toRun(row: Row): TSyncRun {
  const run: TSyncRun = {
    id: Number(row.id),
    startedAt: String(row.startedAt),
    principal: String(row.principal),
    proposalCode: row.proposalCode == null ? null : String(row.proposalCode),
    proposalNumber: row.proposalNumber == null ? null : String(row.proposalNumber),
    dryRun: Number(row.dryRun) === 1,
    reconcile: Number(row.reconcile) === 1,
    outcome: row.outcome === 'succeeded' ? 'succeeded' : 'failed',
    summary: json(row.summary, null),
    warnings: json(row.warnings, []),
    durationMs: Number(row.durationMs),
    payloadSha256: String(row.payloadSha256),
  };
  if (row.errorCode != null) run.errorCode = String(row.errorCode);
  if (row.errorDetail != null) run.errorDetail = String(row.errorDetail);
  if (row.errorPath != null) run.errorPath = String(row.errorPath);
  if (row.payload != null) run.payload = json(row.payload, row.payload);
  return run;
}

/**
 * One page of the sync history, newest first, with keyset pagination (`id < cursor`), so pages
 * stay cheap and stable while new runs are recorded. Throws SyncError VALIDATION_FAILED on a bad query.
 */
export async function listSyncRuns(orm: UpsyncOrm, query: TSyncRunQueryInput = {}): Promise<TSyncRunPage> {
  const parsed = ZSyncRunQuery.safeParse(query);
  if (!parsed.success) {
    throw validationFailed(
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })),
    );
  }
  const { proposal, outcome, limit, cursor } = parsed.data;
  const where: string[] = [];
  const params: unknown[] = [];
  if (proposal !== undefined) {
    const key = splitProposalKey(proposal);
    where.push('proposalCode = ? AND proposalNumber = ?');
    params.push(key?.proposalCode, key?.proposalNumber);
  }
  if (outcome !== undefined) {
    where.push('outcome = ?');
    params.push(outcome);
  }
  if (cursor !== undefined) {
    const after = decodeCursor(cursor);
    if (after === null) {
      throw validationFailed([
        { path: 'cursor', message: 'not a cursor this server issued', code: 'invalid_cursor' },
      ]);
    }
    where.push('id < ?');
    params.push(after);
  }
  const sql =
    `SELECT * FROM upsync_sync_run${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ` +
    `ORDER BY id DESC LIMIT ${limit + 1}`;
  const rows = (await internalsOf(orm)
    .orm.em.getConnection()
    .execute(sql, params)
    .catch((error: unknown) => {
      throw historyError(error);
    })) as Row[];
  const runs = rows.slice(0, limit).map(toRun);
  const last = runs[runs.length - 1];
  return { runs, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
