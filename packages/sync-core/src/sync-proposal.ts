import {
  type ColumnLimits,
  createSyncProposalParser,
  facilityDatetime,
  type TParseResult,
  type TSyncResult,
} from '@upsync/schema';
import { inTransaction } from './db/transaction.js';
import { internalsOf, type UpsyncOrm } from './orm/internals.js';
import { buildResult } from './sync/build-result.js';
import type { SyncInput } from './sync/input.js';
import { syncAll, syncContext } from './sync/sync-proposal-orchestrator.js';
import { warningCollector } from './sync/warnings.js';
import { schemaMismatch, validationFailed } from './sync-error.js';

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
}

/** Validates one User Portal payload and writes it to ISPyB in one transaction (sync-spec §4–§6). */
export async function syncProposal(
  orm: UpsyncOrm,
  payload: unknown,
  options: SyncOptions = {},
): Promise<TSyncResult> {
  const started = performance.now();
  const timeZone = options.timeZone ?? orm.timeZone;
  const parsed = parserFor(orm, options.unknownKeys ?? 'reject', timeZone)(payload);
  if (!parsed.success) throw validationFailed(parsed.errors);
  if (orm.schemaReport.missingTables.length > 0) {
    throw schemaMismatch(
      `The ISPyB database lacks the table(s) ${orm.schemaReport.missingTables.join(', ')}`,
    );
  }
  const input = parsed.data as unknown as SyncInput;
  const internals = internalsOf(orm);
  if (orm.dialect === 'mysql' && !internals.lockTable) {
    throw schemaMismatch(
      'upsync_lock is missing: run `npm run db:setup` (setupServiceTables) once on this database',
    );
  }
  const dryRun = options.dryRun ?? false;
  const reconcile = options.reconcile ?? false;
  const outcome = await inTransaction(
    orm,
    async (db) => {
      const { warnings, warn } = warningCollector();
      const ctx = syncContext(db, { warn, now: facilityDatetime(timeZone), reconcile });
      const done = await syncAll(ctx, input, {
        lockTable: internals.lockTable,
        labContactsFromPersons: options.labContactsFromPersons ?? false,
        cardNameLength: cardNameLength(orm.columnLimits),
      });
      return { ...done, warnings };
    },
    { rollback: dryRun },
  );
  return buildResult({
    raw: payload,
    proposal: {
      proposalId: outcome.proposalId,
      proposalCode: input.proposal.proposalCode,
      proposalNumber: input.proposal.proposalNumber,
    },
    entities: outcome.entities,
    warnings: [...(parsed.warnings ?? []), ...outcome.warnings],
    dryRun,
    reconcile,
    elapsedMs: performance.now() - started,
  });
}

function cardNameLength(limits: ColumnLimits): number {
  return limits.LabContact?.cardName?.maxLength ?? 40;
}

/** The payload parser for this database's live limits, built once per option pair, not per sync. */
function parserFor(
  orm: UpsyncOrm,
  unknownKeys: 'reject' | 'strip',
  timeZone: string,
): (input: unknown) => TParseResult {
  const { parsers } = internalsOf(orm);
  const key = `${unknownKeys}|${timeZone}`;
  let parser = parsers.get(key);
  if (!parser) {
    if (parsers.size >= 16) parsers.clear(); // time zones come from callers: stay bounded
    parser = createSyncProposalParser({ limits: orm.columnLimits, unknownKeys, timeZone });
    parsers.set(key, parser);
  }
  return parser;
}
