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
  // a batch item not attempted because the request's deadline had passed (nothing written)
  'DEADLINE_EXCEEDED',
]);
export type TSyncErrorCode = z.infer<typeof ZSyncErrorCode>;

/**
 * THE error body, from sync-core to the wire: the REST body of every error but 422 (which
 * py-ISPyB clients read in FastAPI's shape, `ZValidationErrorBody`), `error.data.upsync` in tRPC,
 * and a failed batch item. `code` is a sync error code (ZSyncErrorCode) or, for protocol errors,
 * the tRPC code (UNAUTHORIZED, FORBIDDEN, NOT_FOUND, TOO_MANY_REQUESTS, PAYLOAD_TOO_LARGE, …).
 */
export const ZErrorBody = z.object({
  detail: z.string().meta({ description: 'Human-readable message (py-ISPyB/FastAPI `detail`)' }),
  code: z.string().meta({ description: 'VALIDATION_FAILED, IDENTITY_CONFLICT, UNAUTHORIZED, FORBIDDEN, …' }),
  path: z.string().optional().meta({ description: 'Payload path, e.g. `sessions[1].persons[0].login`' }),
  entity: z.string().optional(),
  retryable: z.boolean().meta({ description: 'Sending the same request again may succeed' }),
  requestId: z.string().optional().meta({ description: 'On internal errors: quote it to the operator' }),
  errors: z.array(ZValidationIssue).optional().meta({ description: 'Every validation issue' }),
});
export type TErrorBody = z.infer<typeof ZErrorBody>;

/** The error body of a failed sync: its code is a sync error code. */
export const ZSyncErrorBody = ZErrorBody.extend({ code: ZSyncErrorCode });
export type TSyncErrorBody = z.infer<typeof ZSyncErrorBody>;

/** A REST 422 as py-ISPyB (FastAPI) answers it: `detail` lists `{ loc, msg, type }`; then upsync's `errors`. */
export const ZValidationErrorBody = z.object({
  detail: z
    .array(
      z.object({
        loc: z
          .array(z.union([z.string(), z.number()]))
          .meta({ example: ['body', 'sessions', 1, 'persons', 0, 'familyName'] }),
        msg: z.string(),
        type: z.string(),
      }),
    )
    .meta({ description: "FastAPI's shape, as py-ISPyB answers" }),
  errors: z.array(ZValidationIssue),
  code: z.literal('VALIDATION_FAILED'),
});
export type TValidationErrorBody = z.infer<typeof ZValidationErrorBody>;
