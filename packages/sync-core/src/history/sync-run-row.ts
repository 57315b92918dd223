import { type TSyncRun, ZSyncRunOutcomeClass } from '@upsync/schema';
import { internalsOf, type UpsyncOrm } from '../orm/internals.js';
import { validationFailed } from '../sync-error.js';
import { historyError } from './history-errors.js';

export type Row = Record<string, unknown>;

const json = <T>(text: unknown, fallback: T): T => {
  if (typeof text !== 'string' || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

/** One upsync_sync_run row as the wire shows it. */
export function toRun(row: Row): TSyncRun {
  const outcome = row.outcome === 'succeeded' ? 'succeeded' : 'failed';
  const run: TSyncRun = {
    id: Number(row.id),
    startedAt: String(row.startedAt),
    principal: String(row.principal),
    proposalCode: row.proposalCode == null ? null : String(row.proposalCode),
    proposalNumber: row.proposalNumber == null ? null : String(row.proposalNumber),
    dryRun: Number(row.dryRun) === 1,
    reconcile: Number(row.reconcile) === 1,
    outcome,
    // written with every row since it exists; db:setup derives it for older rows
    outcomeClass:
      ZSyncRunOutcomeClass.safeParse(row.outcomeClass).data ??
      (outcome === 'failed' ? 'failed' : 'unchanged'),
    replayOf: row.replayOf == null ? null : Number(row.replayOf),
    requestId: row.requestId == null ? null : String(row.requestId),
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

/** A read of the history table; driver failures become SyncErrors (missing table: SCHEMA_MISMATCH). */
export async function readHistory<T = Row>(orm: UpsyncOrm, sql: string, params: unknown[]): Promise<T[]> {
  return (await internalsOf(orm)
    .orm.em.getConnection()
    .execute(sql, params)
    .catch((error: unknown) => {
      throw historyError(error);
    })) as T[];
}

/** A zod error of a history query as VALIDATION_FAILED naming the fields. */
export function invalidQuery(issues: readonly { path: PropertyKey[]; message: string; code: string }[]) {
  return validationFailed(issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })));
}

/** `2026-12-06T07:00:00+01:00` → `2026-12-06T06:00:00.000Z`, the stored form (string order = time order). */
export const storedInstant = (iso: string): string => new Date(iso).toISOString();
