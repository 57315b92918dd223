import {
  MAX_STATS_SPAN_DAYS,
  ZSyncRun,
  ZSyncRunDiff,
  ZSyncRunOutcomeFilter,
  ZSyncRunPage,
  ZSyncStats,
  ZSyncStatsRange,
} from '@upsync/schema';
import * as z from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';
import { commonErrors, error, json, ZValidationErrorBody } from './openapi-parts.js';
import {
  SYNC_RUN_DIFF_OPENAPI_PATH,
  SYNC_RUN_OPENAPI_PATH,
  SYNC_RUNS_PATH,
  SYNC_STATS_PATH,
} from './rest/paths.js';

const invalidQuery = {
  '422': { description: 'Invalid or unknown query parameter', content: json(ZValidationErrorBody) },
};
const instant = (description: string) =>
  z.string().optional().meta({ description, example: '2026-12-06T06:00:00Z' });

const ZSyncRunsParams = z.object({
  proposal: z
    .string()
    .optional()
    .meta({ description: 'Only this proposal: `CODE-NUMBER`', example: 'MX-3456' }),
  outcome: ZSyncRunOutcomeFilter.optional().meta({
    description:
      '`succeeded` / `failed` as recorded, or a class: `changed` (wrote rows), `unchanged` (wrote nothing), `dryRun` (a succeeded dry run)',
  }),
  principal: z.string().optional().meta({ description: 'Only the runs of this token name or consumer' }),
  from: instant('Runs that started at or after this instant (ISO 8601 with a time zone)'),
  to: instant('Runs that started before this instant'),
  limit: z.number().int().min(1).max(200).optional().meta({ description: 'Page size (default 50)' }),
  cursor: z.string().optional().meta({ description: 'The `nextCursor` of the previous page' }),
});

const syncRunsOperation: ZodOpenApiOperationObject = {
  operationId: 'listSyncRuns',
  tags: ['userportalsync'],
  summary: 'The sync history (audit trail), newest first (scope `read`)',
  description:
    'One row per sync (REST, tRPC, batch items, queue messages; dry runs flagged; failures too): who, when, which proposal, outcome and its class, counts, warnings, error, duration, the SHA-256 of the payload and, for a replay, the run it replayed. Filters combine (AND). Pass `nextCursor` as `cursor` for the next page. tRPC: `syncRuns`.',
  requestParams: { query: ZSyncRunsParams },
  responses: {
    '200': { description: 'A page of runs', content: json(ZSyncRunPage.meta({ id: 'SyncRunPage' })) },
    ...invalidQuery,
    ...commonErrors,
  },
};

const syncRunOperation: ZodOpenApiOperationObject = {
  operationId: 'getSyncRun',
  tags: ['userportalsync'],
  summary: 'One recorded sync run in full (scope `read`)',
  description:
    'The run with its error, warnings, counts and, when the server stores payloads (UPSYNC_HISTORY_PAYLOADS=true), its payload. tRPC: `syncRun`.',
  requestParams: { path: z.object({ id: z.string().meta({ example: '1234' }) }) },
  responses: {
    '200': { description: 'The run', content: json(ZSyncRun.meta({ id: 'SyncRun' })) },
    '404': error('No such run'),
    ...invalidQuery,
    ...commonErrors,
  },
};

const syncRunDiffOperation: ZodOpenApiOperationObject = {
  operationId: 'diffSyncRuns',
  tags: ['userportalsync'],
  summary: 'Field-level differences between the payloads of two runs of one proposal (scope `read`)',
  description:
    "The lines `upsync diff` prints (`current` = the `from` run's value, `wanted` = the `to` run's): rows created or deleted, and each changed field of an updated row. A field the `to` payload omits is no change (patch semantics). tRPC: `syncRunDiff`.",
  requestParams: {
    path: z.object({
      from: z.string().meta({ example: '1200' }),
      to: z.string().meta({ example: '1234' }),
    }),
  },
  responses: {
    '200': { description: 'The differences', content: json(ZSyncRunDiff.meta({ id: 'SyncRunDiff' })) },
    '400': error('The two runs are not runs of one proposal'),
    '404': error('No such run'),
    '412': error(
      'A run has no stored payload (UPSYNC_HISTORY_PAYLOADS was off when it was recorded), or its payload is not a valid payload',
    ),
    ...invalidQuery,
    ...commonErrors,
  },
};

const syncStatsOperation: ZodOpenApiOperationObject = {
  operationId: 'syncStats',
  tags: ['userportalsync'],
  summary: 'Counts, failure codes, throughput and duration percentiles of the sync history (scope `read`)',
  description: `Over the last \`range\` (default 24h) or \`from\`..\`to\` (at most ${MAX_STATS_SPAN_DAYS} days): runs per outcome class (changed, unchanged, failed, dry run), the 10 most frequent failure codes, and a series of time buckets (1 min for 1h, 10 min for 24h, 1 h for 7d; at most 169) with runs per class, runs per second and p50/p95 duration. Percentiles come from a log-spaced duration histogram grouped in SQL (resolution \`durationResolution\`). tRPC: \`syncStats\`.`,
  requestParams: {
    query: z.object({
      range: ZSyncStatsRange.optional().meta({ description: 'The last hour, day or week (default 24h)' }),
      from: instant('Start of a custom range (instead of `range`)'),
      to: instant('End of a custom range (default now)'),
    }),
  },
  responses: {
    '200': { description: 'The statistics', content: json(ZSyncStats.meta({ id: 'SyncStats' })) },
    ...invalidQuery,
    ...commonErrors,
  },
};

/** The history's routes: runs, one run, the diff of two runs, statistics. */
export const historyPaths: ZodOpenApiPathsObject = {
  [SYNC_RUNS_PATH]: { get: syncRunsOperation },
  [SYNC_RUN_OPENAPI_PATH]: { get: syncRunOperation },
  [SYNC_RUN_DIFF_OPENAPI_PATH]: { get: syncRunDiffOperation },
  [SYNC_STATS_PATH]: { get: syncStatsOperation },
};
