import * as z from 'zod';
import { ZSyncErrorBody } from './errors.js';
import { ZSyncResult } from './sync-result.js';

/** Why one item of a batch failed: the error body with a sync error code. */
export const ZSyncBatchItemError = ZSyncErrorBody;
export type TSyncBatchItemError = z.infer<typeof ZSyncBatchItemError>;

/** The outcome of one payload of a batch, by its index. */
export const ZSyncBatchItem = z.discriminatedUnion('ok', [
  z.object({ index: z.number().int(), ok: z.literal(true), result: ZSyncResult }),
  z.object({ index: z.number().int(), ok: z.literal(false), error: ZSyncBatchItemError }),
]);
export type TSyncBatchItem = z.infer<typeof ZSyncBatchItem>;

/** One result per payload of a batch sync, in order (the shape apps/server's batch route returns). */
export const ZSyncBatchResult = z.object({
  message: z.string(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  dryRun: z.boolean(),
  results: z.array(ZSyncBatchItem),
});
export type TSyncBatchResult = z.infer<typeof ZSyncBatchResult>;
