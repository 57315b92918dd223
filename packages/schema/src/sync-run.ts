import * as z from 'zod';
import { ZSyncResult, ZSyncWarning } from './sync-result.js';

export const ZSyncRunOutcome = z.enum(['succeeded', 'failed']);
export type TSyncRunOutcome = z.infer<typeof ZSyncRunOutcome>;

/**
 * What a run did, four disjoint classes (the console's and syncStats' counts): `changed` = a real
 * sync that created, updated or deleted at least one row; `unchanged` = a real sync that wrote
 * nothing; `dryRun` = a succeeded dry run; `failed` = any failed run, dry run or not.
 */
export const ZSyncRunOutcomeClass = z.enum(['changed', 'unchanged', 'failed', 'dryRun']);
export type TSyncRunOutcomeClass = z.infer<typeof ZSyncRunOutcomeClass>;

/** The history's `outcome` filter: the recorded outcome, or one of the four classes. */
export const ZSyncRunOutcomeFilter = z.enum([...ZSyncRunOutcome.options, ...ZSyncRunOutcomeClass.options]);
export type TSyncRunOutcomeFilter = z.infer<typeof ZSyncRunOutcomeFilter>;

/** An instant, ISO 8601 with a time zone (`2026-12-06T06:00:00Z`, `2026-12-06T07:00:00+01:00`). */
export const ZInstant = z.iso.datetime({ offset: true });

/** One recorded sync (the audit trail): who pushed which proposal when, and what came of it. */
export const ZSyncRun = z.object({
  id: z.number().int(),
  /** When the sync started, ISO 8601 in UTC (`2026-11-27T22:42:59.123Z`). */
  startedAt: z.string(),
  /** The token name (REST, tRPC) or the consumer's name (message queue). */
  principal: z.string(),
  /** null when the payload was too broken to name its proposal. */
  proposalCode: z.string().nullable(),
  proposalNumber: z.string().nullable(),
  dryRun: z.boolean(),
  reconcile: z.boolean(),
  outcome: ZSyncRunOutcome,
  outcomeClass: ZSyncRunOutcomeClass,
  /** The id of the run this one replayed (the console's "sync again" / "dry run now"), else null. */
  replayOf: z.number().int().nullable(),
  /** The server's request id (`X-Request-Id`, the log's `reqId`); null for rows written before it was recorded. */
  requestId: z.string().nullable(),
  /** A ZSyncErrorCode; typed as a string so rows written by other versions still read. */
  errorCode: z.string().optional(),
  errorDetail: z.string().optional(),
  errorPath: z.string().optional(),
  /** The result's counts per entity kind; null for a failed sync. */
  summary: ZSyncResult.shape.summary.nullable(),
  warnings: z.array(ZSyncWarning),
  durationMs: z.number(),
  /** SHA-256 (hex) of the payload as JSON, to recognise a payload without storing it. */
  payloadSha256: z.string(),
  /** The payload itself, only when the server stores payloads (off by default). */
  payload: z.unknown().optional(),
});
export type TSyncRun = z.infer<typeof ZSyncRun>;

/** A page of sync runs, newest first; `nextCursor` fetches the next (older) page. */
export const ZSyncRunPage = z.object({
  runs: z.array(ZSyncRun),
  nextCursor: z.string().nullable(),
});
export type TSyncRunPage = z.infer<typeof ZSyncRunPage>;

/** `CODE-NUMBER`, split at the first dash (proposal codes have none; numbers may). */
export const PROPOSAL_KEY_PATTERN = '^[^-]+-.+$';

/** Filters and paging of the sync history. */
export const ZSyncRunQuery = z.object({
  /** `MX-3456`: only this proposal's runs. */
  proposal: z
    .string()
    .regex(new RegExp(PROPOSAL_KEY_PATTERN), 'must be CODE-NUMBER, such as MX-3456')
    .optional(),
  /** `succeeded` / `failed` as recorded, or a class: `changed`, `unchanged`, `dryRun` (`failed` is both). */
  outcome: ZSyncRunOutcomeFilter.optional(),
  /** Only the runs of this token name / consumer (`amqp:<queue>`), exactly. */
  principal: z.string().min(1).max(128).optional(),
  /** Runs that started at or after this instant. */
  from: ZInstant.optional(),
  /** Runs that started before this instant. */
  to: ZInstant.optional(),
  limit: z.coerce.number<number | string>().int().min(1).max(200).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().min(1).optional(),
});
export type TSyncRunQuery = z.output<typeof ZSyncRunQuery>;
export type TSyncRunQueryInput = z.input<typeof ZSyncRunQuery>;

/** `MX-3456` → `{ proposalCode: 'MX', proposalNumber: '3456' }` (split at the first dash). */
export function splitProposalKey(key: string): { proposalCode: string; proposalNumber: string } | null {
  const dash = key.indexOf('-');
  if (dash <= 0 || dash === key.length - 1) return null;
  return { proposalCode: key.slice(0, dash), proposalNumber: key.slice(dash + 1) };
}

/** One run by id (`syncRun`): the whole row, with its payload when the server stores payloads. */
export const ZSyncRunId = z.object({ id: z.coerce.number<number | string>().int().positive() });
export type TSyncRunIdInput = z.input<typeof ZSyncRunId>;
