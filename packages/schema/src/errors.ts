import * as z from 'zod';

/** One validation problem: where (payload path such as `sessions[1].persons[0].familyName`) and why. */
export const ZValidationIssue = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string(),
});
export type TValidationIssue = z.infer<typeof ZValidationIssue>;

/** Codes of sync failures; the server maps each to one HTTP status and tRPC code. */
export const ZSyncErrorCode = z.enum([
  'VALIDATION_FAILED',
  'IDENTITY_CONFLICT',
  'CONSTRAINT_VIOLATION',
  'SCHEMA_MISMATCH',
  'LOCK_RETRIES_EXHAUSTED',
  'DATABASE_UNAVAILABLE',
  'INTERNAL',
]);
export type TSyncErrorCode = z.infer<typeof ZSyncErrorCode>;

/** Body of a failed sync response (py-ISPyB's `detail`, then richer fields). */
export const ZSyncErrorBody = z.object({
  detail: z.string(),
  code: ZSyncErrorCode,
  path: z.string().optional(),
  entity: z.string().optional(),
  retryable: z.boolean(),
});
export type TSyncErrorBody = z.infer<typeof ZSyncErrorBody>;
