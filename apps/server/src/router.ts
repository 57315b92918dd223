import {
  type TSyncBatchResult,
  type TSyncResult,
  ZProposalKey,
  ZProposalSnapshot,
  ZSyncRun,
  ZSyncRunDiff,
  ZSyncRunDiffQuery,
  ZSyncRunId,
  ZSyncRunPage,
  ZSyncRunQuery,
  ZSyncStats,
  ZSyncStatsQuery,
} from '@upsync/schema';
import { runBatch } from './batch.js';
import { PublicError } from './errors/public-error.js';
import type { CallerInfo } from './trpc/context.js';
import { t } from './trpc/init.js';
import { requireReconcileScope, requireTimeLeft, scopedProcedure } from './trpc/middleware.js';
import { ZBatchInput, ZJsonSchemaDocument, ZSyncInput } from './wire.js';

/**
 * The output type of a sync procedure, without parsing it again on every request: sync-core builds
 * the result field by field from the schema's own types, and test/trpc.test.ts parses what clients
 * receive with ZSyncResult / ZSyncBatchResult. Parsing ~40 entities per sync cost ~2.5 % of the
 * server's CPU under load; the OpenAPI document still describes ZSyncResult.
 */
const built =
  <T>() =>
  (value: unknown): T =>
    value as T;

/** Who asks, and the request's signal (its deadline, its client gone): sync-core's retries stop there. */
const callerOf = (ctx: {
  requestId: string;
  principal: { name: string };
  signal?: AbortSignal;
}): CallerInfo => ({
  requestId: ctx.requestId,
  principal: ctx.principal.name,
  ...(ctx.signal && { signal: ctx.signal }),
});

/** Sync, dry run and schema: `sync`; `reconcile: true` also needs `reconcile` (it deletes). */
const syncProcedure = scopedProcedure('sync');
/** Read-back and history: personal data of every proposal, so a scope of its own. */
const readProcedure = scopedProcedure('read');

/** One router for both transports: `/trpc` directly, the REST paths through a caller. */
export const appRouter = t.router({
  /** Sync one proposal (one transaction). */
  syncProposal: syncProcedure
    .input(ZSyncInput)
    .output(built<TSyncResult>())
    .mutation(({ ctx, input }) => {
      requireReconcileScope(ctx, input.reconcile);
      requireTimeLeft(ctx.signal);
      return ctx.services.sync(
        input.payload,
        { dryRun: false, reconcile: input.reconcile ?? false, replayOf: input.replayOf },
        callerOf(ctx),
      );
    }),

  /** The same work as syncProposal, rolled back: the result says what would change. */
  dryRunProposal: syncProcedure
    .input(ZSyncInput)
    .output(built<TSyncResult>())
    .mutation(({ ctx, input }) => {
      requireReconcileScope(ctx, input.reconcile);
      requireTimeLeft(ctx.signal);
      return ctx.services.sync(
        input.payload,
        { dryRun: true, reconcile: input.reconcile ?? false, replayOf: input.replayOf },
        callerOf(ctx),
      );
    }),

  /** Many proposals (a nightly sweep): one transaction each, one result each, in order. */
  syncProposals: syncProcedure
    .input(ZBatchInput)
    .output(built<TSyncBatchResult>())
    .mutation(({ ctx, input }) => {
      requireReconcileScope(ctx, input.reconcile);
      const max = ctx.services.maxBatchItems;
      if (input.payloads.length > max) {
        // refused whole, before any item runs: a batch's items each take a transaction
        throw new PublicError(
          'PAYLOAD_TOO_LARGE',
          `${input.payloads.length} proposals in one batch: at most ${max} (limit UPSYNC_MAX_BATCH_ITEMS)`,
        );
      }
      return runBatch(ctx.services, input.payloads, {
        dryRun: input.dryRun ?? false,
        reconcile: input.reconcile ?? false,
        caller: callerOf(ctx),
        ...(ctx.signal && { signal: ctx.signal }),
      });
    }),

  /** The sync history, newest first, filtered by proposal (`MX-3456`), outcome, principal, time; cursor paging. */
  syncRuns: readProcedure
    .input(ZSyncRunQuery)
    .output(ZSyncRunPage)
    .query(({ ctx, input }) => ctx.services.syncRuns(input)),

  /** One recorded run in full (payload included when the server stores payloads); NOT_FOUND if absent. */
  syncRun: readProcedure
    .input(ZSyncRunId)
    .output(ZSyncRun)
    .query(async ({ ctx, input }) => {
      const run = await ctx.services.syncRun(input.id);
      if (!run) throw new PublicError('NOT_FOUND', `no recorded sync run ${input.id}`);
      return run;
    }),

  /** Counts by outcome class, top failure codes and a time series (throughput, p50/p95) of the history. */
  syncStats: readProcedure
    .input(ZSyncStatsQuery)
    .output(ZSyncStats)
    .query(({ ctx, input }) => ctx.services.syncStats(input)),

  /** Field-level differences between the stored payloads of two runs of one proposal. */
  syncRunDiff: readProcedure
    .input(ZSyncRunDiffQuery)
    .output(ZSyncRunDiff)
    .query(({ ctx, input }) => ctx.services.syncRunDiff(input.from, input.to)),

  /** The proposal as ISPyB holds it now, in the payload's shape with ISPyB ids (NOT_FOUND if absent). */
  proposal: readProcedure
    .input(ZProposalKey)
    .output(ZProposalSnapshot)
    .query(async ({ ctx, input }) => {
      const snapshot = await ctx.services.readProposal(input);
      if (!snapshot) {
        throw new PublicError(
          'NOT_FOUND',
          `ISPyB holds no proposal ${input.proposalCode}-${input.proposalNumber}`,
        );
      }
      return snapshot;
    }),

  /** The payload's JSON Schema with the live column limits of the connected database. */
  schema: syncProcedure.output(ZJsonSchemaDocument).query(({ ctx }) => ctx.services.jsonSchema()),
});

export type AppRouter = typeof appRouter;
