import {
  ZErrorBody as ZErrorBodySchema,
  ZValidationErrorBody as ZValidationErrorBodySchema,
} from '@upsync/schema';
import * as z from 'zod';
import type { ZodOpenApiResponseObject } from 'zod-openapi';

// The pieces every operation of the OpenAPI document shares (openapi.ts, openapi-history.ts).

export const ZErrorBody = ZErrorBodySchema.meta({ id: 'ErrorBody' });
export const ZValidationErrorBody = ZValidationErrorBodySchema.meta({ id: 'ValidationErrorBody' });

export const ZFlags = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'Do the whole sync, then roll it back: the result says what would change' }),
  reconcile: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'Delete participant relations of this proposal that the payload no longer lists' }),
});

export const json = (schema: z.ZodType | { $ref: string } | Record<string, unknown>) => ({
  'application/json': { schema },
});
export const error = (
  description: string,
  headers?: ZodOpenApiResponseObject['headers'],
): ZodOpenApiResponseObject => ({
  description,
  content: json(ZErrorBody),
  ...(headers && { headers }),
});
export const retryAfter = z.object({
  'Retry-After': z.string().meta({ description: 'Seconds to wait before retrying' }),
});

export const commonErrors = {
  '401': error('No, malformed or unknown bearer token (a token in the query string is ignored)'),
  '403': error('The token lacks a scope the route needs: the message names it'),
  '429': error(
    'Too many requests from this principal (UPSYNC_RATE_LIMIT per UPSYNC_RATE_LIMIT_WINDOW_MS): retry after `Retry-After` seconds',
    retryAfter,
  ),
  '500': error('Internal error: a generic message and a request id; details are in the server log'),
  '503': error(
    'Database unavailable, lock retries exhausted, or the server at its bound of syncs in flight (UPSYNC_MAX_SYNCS_IN_FLIGHT): retry after `Retry-After` seconds',
    retryAfter,
  ),
};
export const bodyErrors = {
  '413': error(
    'Body larger than UPSYNC_BODY_LIMIT, or a batch of more than UPSYNC_MAX_BATCH_ITEMS proposals',
  ),
  '415': error('Body is not application/json'),
  '422': {
    description:
      'Invalid payload (or not UTF-8), or an invalid or unknown query parameter; a list longer than UPSYNC_MAX_LIST_ITEMS is `too_many_items`, and at most UPSYNC_MAX_VALIDATION_ISSUES issues are listed (`too_many_issues` counts the rest)',
    content: json(ZValidationErrorBody),
  },
};

/** `POST sync_proposal`'s query: the flags, and the run a replay repeats. */
export const ZSyncFlags = ZFlags.extend({
  replayOf: z
    .string()
    .regex(/^[1-9]\d*$/)
    .optional()
    .meta({
      description:
        'The id of the recorded run this sync replays (the console\'s "sync again"): the history row links to it. The run must exist and be of the same proposal (else 422 on `replayOf`).',
      example: '1234',
    }),
});
