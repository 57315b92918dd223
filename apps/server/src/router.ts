import { ZSyncBatchResult, ZSyncResult } from '@upsync/schema';
import { runBatch } from './batch.js';
import { t } from './trpc/init.js';
import { syncProcedure } from './trpc/middleware.js';
import { ZBatchInput, ZJsonSchemaDocument, ZSyncInput } from './wire.js';

/** One router for both transports: `/trpc` directly, the REST paths through a caller. */
export const appRouter = t.router({
  /** Sync one proposal (one transaction). */
  syncProposal: syncProcedure
    .input(ZSyncInput)
    .output(ZSyncResult)
    .mutation(({ ctx, input }) =>
      ctx.services.sync(
        input.payload,
        { dryRun: false, reconcile: input.reconcile ?? false },
        { requestId: ctx.requestId, principal: ctx.principal.name },
      ),
    ),

  /** The same work as syncProposal, rolled back: the result says what would change. */
  dryRunProposal: syncProcedure
    .input(ZSyncInput)
    .output(ZSyncResult)
    .mutation(({ ctx, input }) =>
      ctx.services.sync(
        input.payload,
        { dryRun: true, reconcile: input.reconcile ?? false },
        { requestId: ctx.requestId, principal: ctx.principal.name },
      ),
    ),

  /** Many proposals (a nightly sweep): one transaction each, one result each, in order. */
  syncProposals: syncProcedure
    .input(ZBatchInput)
    .output(ZSyncBatchResult)
    .mutation(({ ctx, input }) =>
      runBatch(ctx.services, input.payloads, {
        dryRun: input.dryRun ?? false,
        reconcile: input.reconcile ?? false,
        caller: { requestId: ctx.requestId, principal: ctx.principal.name },
      }),
    ),

  /** The payload's JSON Schema with the live column limits of the connected database. */
  schema: syncProcedure.output(ZJsonSchemaDocument).query(({ ctx }) => ctx.services.jsonSchema()),
});

export type AppRouter = typeof appRouter;
