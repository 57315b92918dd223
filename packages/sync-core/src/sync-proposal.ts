import type { SqlEntityManager } from '@mikro-orm/sql';
import {
  type ColumnLimits,
  createSyncProposalParser,
  facilityDatetime,
  type PayloadLimits,
  type TParseResult,
  type TSyncResult,
} from '@upsync/schema';
import {
  isConnectionLost,
  isMissingTable,
  isRetryable,
  isUnavailable,
  type RetryReason,
} from './db/driver-errors.js';
import { inTransaction, withoutTransaction } from './db/transaction.js';
import { HistoryWriteFailed } from './history/history-errors.js';
import { recordSyncRun, syncRunStatement } from './history/record-sync-run.js';
import type { SyncRunRecord } from './history/sync-run-record.js';
import { internalsOf, type UpsyncOrm } from './orm/internals.js';
import { buildResult, entityResults, withElapsed } from './sync/build-result.js';
import { changeSetsOf } from './sync/change-sets.js';
import type { SyncContext } from './sync/context.js';
import { syncDigest } from './sync/last-synced.js';
import { syncAll } from './sync/sync-all.js';
import { warningCollector } from './sync/warnings.js';
import { internalError, SyncError, schemaMismatch, validationFailed } from './sync-error.js';

export interface SyncOptions {
  /** Do the same work, then roll back: the result says what would change. */
  dryRun?: boolean;
  /** Delete this proposal's participant rows whose persons the payload no longer lists. */
  reconcile?: boolean;
  /** Unknown payload keys: refuse (default) or strip with a warning. */
  unknownKeys?: 'reject' | 'strip';
  /** Also give each proposal person without a lab contact a card (`DESY - Amity Weaver`). */
  labContactsFromPersons?: boolean;
  /** Facility time zone for datetimes without offset and for `now`; defaults to the orm's. */
  timeZone?: string;
  /** Record this sync, whatever its outcome, in the sync history (upsync_sync_run). */
  history?: SyncHistoryOptions;
  /** Told before each retry of the transaction, with why (deadlock, certification conflict, …). */
  onRetry?: (reason: RetryReason) => void;
  /** Bounds on one payload (list lengths, issues listed); @upsync/schema's defaults otherwise. */
  payloadLimits?: Partial<PayloadLimits>;
  /**
   * No retry of the transaction starts once this aborts (the request's deadline passed, its client
   * left): the sync then fails with a retryable LOCK_RETRIES_EXHAUSTED. An attempt is never cut.
   */
  signal?: AbortSignal;
}

export interface SyncHistoryOptions {
  /** Token name (REST, tRPC) or consumer name (message queue). */
  principal: string;
  /** Keep the payload itself in the row (off by default: it holds personal data). */
  storePayload?: boolean;
  /** The id of the recorded run this sync replays (the caller checks it: replayTarget). */
  replayOf?: number | undefined;
  /** The request's id, recorded with the row (the log's `reqId`). */
  requestId?: string | undefined;
  /** Told once per sync: null when the row was written, else why not (never fails the sync). */
  onRecorded?: (error: SyncError | null) => void;
}

/**
 * Validates one User Portal payload and writes it to ISPyB in one transaction (sync-spec §4–§6).
 * With `history`, a sync that wrote has its history row in that transaction (it commits with the
 * sync, at no extra log flush); an unchanged sync's (it had no transaction), a dry run's or a
 * failure's is written after it.
 */
export async function syncProposal(
  orm: UpsyncOrm,
  payload: unknown,
  options: SyncOptions = {},
): Promise<TSyncResult> {
  const { history } = options;
  if (!history) return (await syncOnce(orm, payload, options, undefined)).result;
  const startedAt = new Date();
  const run = (fields: Partial<SyncRunRecord>): SyncRunRecord => ({
    startedAt,
    principal: history.principal,
    dryRun: options.dryRun ?? false,
    reconcile: options.reconcile ?? false,
    outcome: 'succeeded',
    durationMs: Date.now() - startedAt.getTime(),
    payload,
    storePayload: history.storePayload ?? false,
    replayOf: history.replayOf,
    requestId: history.requestId,
    ...fields,
  });
  const report = (error: SyncError | null) => {
    try {
      history.onRecorded?.(error);
    } catch {
      // a failing reporter must not turn into a failed sync
    }
  };
  const recordAfter = async (record: SyncRunRecord) => {
    let failure: SyncError | null = null;
    await recordSyncRun(orm, record, { onError: (e) => (failure = e) });
    report(failure);
  };
  try {
    const inTransaction = !options.dryRun && internalsOf(orm).historyTable;
    const { result, recorded } = await syncOnce(orm, payload, options, inTransaction ? run : undefined).catch(
      async (error: unknown) => {
        if (!(error instanceof HistoryWriteFailed)) throw error;
        // the history row itself failed (writeHistoryRow): a missing table from now on (until
        // db:setup or the readiness check sees it again), anything else for this sync only; a
        // deadlock or a lost connection is the attempt's failure, retried by inTransaction
        if (error.missingTable) internalsOf(orm).historyTable = false;
        // sync again without it (the history must never cost a sync), and record after commit
        return syncOnce(orm, payload, options, undefined);
      },
    );
    if (recorded) report(null);
    else await recordAfter(run(succeeded(result)));
    return result;
  } catch (error) {
    const e = error instanceof SyncError ? error : internalError(error);
    await recordAfter(
      run({ outcome: 'failed', errorCode: e.code, errorDetail: e.message, errorPath: e.path }),
    );
    throw error;
  }
}

function succeeded(result: TSyncResult): Partial<SyncRunRecord> {
  return {
    proposalCode: result.proposal.proposalCode,
    proposalNumber: result.proposal.proposalNumber,
    summary: result.summary,
    warnings: result.warnings,
  };
}

/**
 * One sync. A payload this handle last synced the same way (sync/last-synced.ts) is read first,
 * without locks or a transaction: when the unit of work then has nothing to write, that read is the
 * answer, and the sync wrote nothing anywhere (its history row, if any, is written after it:
 * `recorded` false). Otherwise, and for every other payload, the attempt runs in a transaction
 * from nothing, under the locks, with its history row in it (`recorded`).
 */
async function syncOnce(
  orm: UpsyncOrm,
  payload: unknown,
  options: SyncOptions,
  historyRow: ((fields: Partial<SyncRunRecord>) => SyncRunRecord) | undefined,
): Promise<{ result: TSyncResult; recorded: boolean }> {
  const started = performance.now();
  const timeZone = options.timeZone ?? orm.timeZone;
  const parsed = parserFor(orm, options.unknownKeys ?? 'reject', timeZone, options.payloadLimits)(payload);
  if (!parsed.success) throw validationFailed(parsed.errors);
  if (orm.schemaReport.missingTables.length > 0) {
    throw schemaMismatch(
      `The ISPyB database lacks the table(s) ${orm.schemaReport.missingTables.join(', ')}`,
    );
  }
  const input = parsed.data;
  const internals = internalsOf(orm);
  if (orm.dialect === 'mysql' && !internals.lockTable) {
    throw schemaMismatch(
      'upsync_lock is missing: run `npm run db:setup` (setupServiceTables) once on this database',
    );
  }
  const dryRun = options.dryRun ?? false;
  const reconcile = options.reconcile ?? false;
  const labContactsFromPersons = options.labContactsFromPersons ?? false;
  // each attempt starts from nothing: its own fork, warnings and result entries
  const attempt =
    (readOnly: boolean) =>
    async (em: SqlEntityManager): Promise<TSyncResult | undefined> => {
      const { warnings, warn } = warningCollector();
      const ctx: SyncContext = {
        em,
        entities: internals.entities,
        sql: internals.sql,
        dialect: orm.dialect,
        warn,
        now: facilityDatetime(timeZone),
        reconcile,
        has: (table, column) => internals.columns.get(table)?.has(column) ?? false,
        tracked: [],
      };
      const proposal = await syncAll(ctx, input, parsed.persons, {
        lockTable: internals.lockTable,
        galera: internals.galera,
        labContactsFromPersons,
        cardNameLength: cardNameLength(orm.columnLimits),
        readOnly,
      });
      if (!proposal) return undefined;
      const result = buildResult({
        raw: payload,
        proposal: {
          proposalId: Number(proposal.proposalId),
          proposalCode: input.proposal.proposalCode,
          proposalNumber: input.proposal.proposalNumber,
        },
        entities: entityResults(ctx.tracked, readOnly ? [] : changeSetsOf(em)),
        warnings: [...(parsed.warnings ?? []), ...warnings],
        dryRun,
        reconcile,
        elapsedMs: performance.now() - started,
      });
      // in the sync's transaction: the row exists exactly when the sync does
      if (historyRow && !readOnly) await writeHistoryRow(em, historyRow(succeeded(result)));
      return result;
    };
  const key = `${input.proposal.proposalCode}\u0000${input.proposal.proposalNumber}`;
  const digest = syncDigest(input, { reconcile, labContactsFromPersons, timeZone });
  const unchanged = internals.lastSynced.matches(key, digest)
    ? await withoutTransaction(orm, attempt(true))
    : undefined;
  const result =
    unchanged ??
    (await inTransaction(orm, attempt(false), {
      rollback: dryRun,
      ...(options.onRetry && { onRetry: options.onRetry }),
      ...(options.signal && { signal: options.signal }),
    }));
  if (!result) throw internalError(new Error('the sync produced no result'));
  if (!dryRun) internals.lastSynced.remember(key, digest);
  return {
    result: withElapsed(result, performance.now() - started),
    recorded: historyRow !== undefined && unchanged === undefined,
  };
}

/**
 * The history row of a succeeded sync, in its transaction. A deadlock, a lost connection or a
 * certification failure is the attempt's, retried or reported like any other. Any other failure
 * is the history's and must not cost the sync: HistoryWriteFailed, and the sync runs again with
 * its row recorded after commit (`missingTable`: from now on, until db:setup and a restart).
 */
async function writeHistoryRow(em: SqlEntityManager, record: SyncRunRecord): Promise<void> {
  const { sql, params } = syncRunStatement(record);
  try {
    await em.execute(sql, params, 'run');
  } catch (error) {
    if (isRetryable(error) || isUnavailable(error) || isConnectionLost(error)) throw error;
    throw new HistoryWriteFailed(error, isMissingTable(error));
  }
}

function cardNameLength(limits: ColumnLimits): number {
  return limits.LabContact?.cardName?.maxLength ?? 40;
}

/** The payload parser for this database's live limits, built once per option pair, not per sync. */
function parserFor(
  orm: UpsyncOrm,
  unknownKeys: 'reject' | 'strip',
  timeZone: string,
  payloadLimits: Partial<PayloadLimits> = {},
): (input: unknown) => TParseResult {
  const { parsers } = internalsOf(orm);
  const { maxItems, maxIssues } = payloadLimits;
  const key = `${unknownKeys}|${timeZone}|${maxItems}|${maxIssues}`;
  let parser = parsers.get(key);
  if (!parser) {
    if (parsers.size >= 16) parsers.clear(); // time zones come from callers: stay bounded
    parser = createSyncProposalParser({
      limits: orm.columnLimits,
      unknownKeys,
      timeZone,
      missingColumns: orm.missingColumns,
      maxItems,
      maxIssues,
    });
    parsers.set(key, parser);
  }
  return parser;
}
