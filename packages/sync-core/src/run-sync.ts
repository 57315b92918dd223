import type { SqlEntityManager } from '@mikro-orm/sql';
import { facilityDatetime, type TParseResult, type TSyncResult, type TSyncWarning } from '@upsync/schema';
import { inTransaction, withoutTransaction } from './db/transaction.js';
import { internalsOf, type UpsyncOrm } from './orm/internals.js';
import { parserFor } from './payload-parser.js';
import { buildResult, entityResults, withElapsed } from './sync/build-result.js';
import { changeSetsOf } from './sync/change-sets.js';
import type { SyncContext } from './sync/context.js';
import { syncDigest } from './sync/last-synced.js';
import { syncAll } from './sync/sync-all.js';
import { internalError, schemaMismatch, validationFailed } from './sync-error.js';
import type { SyncOptions } from './sync-options.js';

/** Last in the sync's own transaction, once its result is known: commits with it (the history row). */
export type BeforeCommit = (em: SqlEntityManager, result: TSyncResult) => Promise<void>;

/**
 * One sync, knowing nothing of its history. A payload this handle last synced the same way
 * (sync/last-synced.ts) is read first, without locks or a transaction: when the unit of work then
 * has nothing to write, that read is the answer, and the sync wrote nothing anywhere. Otherwise,
 * and for every other payload, the attempt runs in a transaction from nothing, under the locks,
 * with `beforeCommit` last in it.
 */
export async function runSync(
  orm: UpsyncOrm,
  payload: unknown,
  options: SyncOptions = {},
  beforeCommit?: BeforeCommit,
): Promise<TSyncResult> {
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
  const settings: Settings = {
    dryRun: options.dryRun ?? false,
    reconcile: options.reconcile ?? false,
    labContactsFromPersons: options.labContactsFromPersons ?? false,
    timeZone,
  };
  const attempt = attemptOf({ orm, payload, parsed, settings, started, beforeCommit });
  const key = `${input.proposal.proposalCode}\u0000${input.proposal.proposalNumber}`;
  const { reconcile, labContactsFromPersons } = settings;
  const digest = syncDigest(input, { reconcile, labContactsFromPersons, timeZone });
  const unchanged = internals.lastSynced.matches(key, digest)
    ? await withoutTransaction(orm, attempt(true))
    : undefined;
  const result =
    unchanged ??
    (await inTransaction(orm, attempt(false), {
      rollback: settings.dryRun,
      ...(options.onRetry && { onRetry: options.onRetry }),
      ...(options.signal && { signal: options.signal }),
    }));
  if (!result) throw internalError(new Error('the sync produced no result'));
  // only here, after success: a failed sync threw above and leaves the hint as it was
  if (!settings.dryRun) internals.lastSynced.remember(key, digest);
  return withElapsed(result, performance.now() - started);
}

/** The options that decide what a sync writes, with their defaults applied. */
type Settings = Required<Pick<SyncOptions, 'dryRun' | 'reconcile' | 'labContactsFromPersons' | 'timeZone'>>;

interface AttemptPlan {
  orm: UpsyncOrm;
  payload: unknown;
  parsed: Extract<TParseResult, { success: true }>;
  settings: Settings;
  started: number;
  beforeCommit: BeforeCommit | undefined;
}

/**
 * One attempt of the sync on `em`: read-only (the unchanged check, undefined when it would
 * write) or in the transaction. Each attempt starts from nothing: its own warnings and entries.
 */
function attemptOf(plan: AttemptPlan) {
  const { orm, parsed, settings } = plan;
  const input = parsed.data;
  const internals = internalsOf(orm);
  return (readOnly: boolean) =>
    async (em: SqlEntityManager): Promise<TSyncResult | undefined> => {
      const warnings: TSyncWarning[] = [];
      // one timestamp per attempt, formatted only if a new session needs it
      let now: string | undefined;
      const ctx: SyncContext = {
        em,
        entities: internals.entities,
        sql: internals.sql,
        dialect: orm.dialect,
        warn: (path, code, message) => warnings.push({ path, code, message }),
        now: () => (now ??= facilityDatetime(settings.timeZone)),
        reconcile: settings.reconcile,
        has: (table, column) => internals.columns.get(table)?.has(column) ?? false,
        keyPlans: internals.keyPlans,
        tracked: [],
      };
      const proposal = await syncAll(ctx, input, parsed.persons, {
        lockTable: internals.lockTable,
        galera: internals.galera,
        labContactsFromPersons: settings.labContactsFromPersons,
        cardNameLength: orm.columnLimits.LabContact?.cardName?.maxLength ?? 40,
        readOnly,
      });
      if (!proposal) return undefined;
      const result = buildResult({
        raw: plan.payload,
        proposal: {
          proposalId: Number(proposal.proposalId),
          proposalCode: input.proposal.proposalCode,
          proposalNumber: input.proposal.proposalNumber,
        },
        entities: entityResults(ctx.tracked, readOnly ? [] : changeSetsOf(em)),
        warnings: [...(parsed.warnings ?? []), ...warnings],
        dryRun: settings.dryRun,
        reconcile: settings.reconcile,
        elapsedMs: performance.now() - plan.started,
      });
      if (!readOnly) await plan.beforeCommit?.(em, result);
      return result;
    };
}
