import { type TSyncProposalInput, ZSyncErrorCode, ZSyncResult, ZValidationIssue } from '@upsync/schema';
import { z } from 'zod';

/**
 * The payload at the tRPC edge: typed for clients, validated once, inside syncProposal, with the
 * live column limits (validating here too could give a different answer with other limits).
 */
export const ZPayload = z
  .custom<TSyncProposalInput>()
  .meta({ description: 'A User Portal proposal payload' });

export const ZSyncInput = z.object({
  payload: ZPayload,
  /** Delete participant relations that the payload no longer lists (sync-spec §4, opt-in). */
  reconcile: z.boolean().optional(),
});
export type TSyncInput = z.infer<typeof ZSyncInput>;

export const ZBatchInput = z.object({
  payloads: z.array(ZPayload),
  reconcile: z.boolean().optional(),
  dryRun: z.boolean().optional(),
});
export type TBatchInput = z.infer<typeof ZBatchInput>;

/** Why one batch item failed: the single-sync error body, with `errors` for validation issues. */
export const ZBatchItemError = z.object({
  detail: z.string(),
  code: ZSyncErrorCode,
  path: z.string().optional(),
  entity: z.string().optional(),
  retryable: z.boolean(),
  errors: z.array(ZValidationIssue).optional(),
  requestId: z.string().optional(),
});

export const ZBatchItem = z.discriminatedUnion('ok', [
  z.object({ index: z.number().int(), ok: z.literal(true), result: ZSyncResult }),
  z.object({ index: z.number().int(), ok: z.literal(false), error: ZBatchItemError }),
]);
export type TBatchItem = z.infer<typeof ZBatchItem>;

/** One result per payload, in order; HTTP 200 even when items failed (see README). */
export const ZBatchResult = z.object({
  message: z.string(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  dryRun: z.boolean(),
  results: z.array(ZBatchItem),
});
export type TBatchResult = z.infer<typeof ZBatchResult>;

/** A JSON Schema document (draft 2020-12). */
export const ZJsonSchemaDocument = z.record(z.string(), z.unknown());
