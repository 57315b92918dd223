import type { TSyncProposalInput } from '@upsync/schema';
import * as z from 'zod';

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
  /** This sync replays that recorded run (the console's "sync again"): the history row links to it. */
  replayOf: z.number().int().positive().optional(),
});
export type TSyncInput = z.infer<typeof ZSyncInput>;

export const ZBatchInput = z.object({
  payloads: z.array(ZPayload),
  reconcile: z.boolean().optional(),
  dryRun: z.boolean().optional(),
});
export type TBatchInput = z.infer<typeof ZBatchInput>;

/** A JSON Schema document (draft 2020-12). */
export const ZJsonSchemaDocument = z.record(z.string(), z.unknown());
