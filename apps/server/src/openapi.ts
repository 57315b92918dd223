import {
  createProposalSnapshotSchemas,
  type ParseOptions,
  syncProposalJsonSchema,
  VERSION,
  ZErrorBody as ZErrorBodySchema,
  ZSyncBatchResult,
  ZSyncResult,
  ZSyncRunOutcome,
  ZSyncRunPage,
  ZValidationErrorBody as ZValidationErrorBodySchema,
} from '@upsync/schema';
import * as z from 'zod';
import {
  createDocument,
  type oas31,
  type ZodOpenApiOperationObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { DEFAULT_MAX_BATCH_ITEMS } from './config.js';
import {
  PROPOSAL_OPENAPI_PATH,
  SCHEMA_PATH,
  SYNC_PROPOSAL_PATH,
  SYNC_PROPOSALS_PATH,
  SYNC_RUNS_PATH,
} from './rest/paths.js';
import { ZJsonSchemaDocument } from './wire.js';

/** The REST API's version: the wire contract's, i.e. the @upsync/schema (and SDK) release. */
export const API_VERSION = VERSION;

const ZErrorBody = ZErrorBodySchema.meta({ id: 'ErrorBody' });
const ZValidationErrorBody = ZValidationErrorBodySchema.meta({ id: 'ValidationErrorBody' });

const ZFlags = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'Do the whole sync, then roll it back: the result says what would change' }),
  reconcile: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'Delete participant relations of this proposal that the payload no longer lists' }),
});

const json = (schema: z.ZodType | { $ref: string } | Record<string, unknown>) => ({
  'application/json': { schema },
});
const error = (
  description: string,
  headers?: ZodOpenApiResponseObject['headers'],
): ZodOpenApiResponseObject => ({
  description,
  content: json(ZErrorBody),
  ...(headers && { headers }),
});
const retryAfter = z.object({
  'Retry-After': z.string().meta({ description: 'Seconds to wait before retrying' }),
});

const commonErrors = {
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
const bodyErrors = {
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

const PAYLOAD_REF = { $ref: '#/components/schemas/SyncProposal' };

/** The payload JSON Schema's `$defs`, moved into components (refs rewritten to match). */
function payloadComponents(live: LiveSchema): Record<string, Record<string, unknown>> {
  const {
    $defs,
    $schema: _schema,
    ...root
  } = syncProposalJsonSchema(live) as Record<string, unknown> & {
    $defs?: Record<string, Record<string, unknown>>;
  };
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string'
          ? v.replace(/^#\/\$defs\//, '#/components/schemas/SyncProposal_')
          : rewrite(v),
      ]),
    );
  };
  const components: Record<string, Record<string, unknown>> = {
    SyncProposal: rewrite(root) as Record<string, unknown>,
  };
  for (const [name, schema] of Object.entries($defs ?? {})) {
    components[`SyncProposal_${name}`] = rewrite(schema) as Record<string, unknown>;
  }
  return components;
}

const syncOperation: ZodOpenApiOperationObject = {
  operationId: 'syncProposal',
  tags: ['userportalsync'],
  summary: 'Sync one proposal (scope `sync`; `reconcile=true` also needs `reconcile`)',
  description:
    "py-ISPyB's route: the body is one User Portal payload, written in one transaction. `?dryRun=true` rolls back and reports what would change; `?reconcile=true` also removes participants the payload no longer lists. tRPC: `syncProposal` / `dryRunProposal`.",
  requestParams: { query: ZFlags },
  requestBody: { required: true, content: json(PAYLOAD_REF) },
  responses: {
    '200': { description: 'Synchronized (or dry run): the structured result', content: json(ZSyncResult) },
    '400': error('Constraint violation, or a field this ISPyB database lacks'),
    '409': error('Identity conflict (the payload and the database disagree about who is who)'),
    ...bodyErrors,
    ...commonErrors,
  },
};

const schemaOperation: ZodOpenApiOperationObject = {
  operationId: 'getSyncProposalSchema',
  tags: ['userportalsync'],
  summary: "The payload's JSON Schema, with the connected database's column limits (scope `sync`)",
  description: 'Validate payloads before pushing them. tRPC: `schema`.',
  responses: {
    '200': { description: 'JSON Schema (draft 2020-12)', content: json(ZJsonSchemaDocument) },
    ...commonErrors,
  },
};

const batchOperation: ZodOpenApiOperationObject = {
  operationId: 'syncProposals',
  tags: ['userportalsync'],
  summary: 'Sync many proposals (a nightly sweep; scope `sync`, `reconcile=true` also `reconcile`)',
  description:
    'The body is a JSON array of payloads. Each is synced in its own transaction, in order; a failing item does not stop the others. The answer is 200 with one result per item and the counts of successes and failures (inspect `failed`). tRPC: `syncProposals`.',
  requestParams: { query: ZFlags },
  requestBody: {
    required: true,
    content: json({ type: 'array', items: PAYLOAD_REF, maxItems: DEFAULT_MAX_BATCH_ITEMS }),
  },
  responses: {
    '200': { description: 'One result per payload, in order', content: json(ZSyncBatchResult) },
    ...bodyErrors,
    ...commonErrors,
  },
};

const ZSyncRunsParams = z.object({
  proposal: z
    .string()
    .optional()
    .meta({ description: 'Only this proposal: `CODE-NUMBER`', example: 'MX-3456' }),
  outcome: ZSyncRunOutcome.optional(),
  limit: z.number().int().min(1).max(200).optional().meta({ description: 'Page size (default 50)' }),
  cursor: z.string().optional().meta({ description: 'The `nextCursor` of the previous page' }),
});

const syncRunsOperation: ZodOpenApiOperationObject = {
  operationId: 'listSyncRuns',
  tags: ['userportalsync'],
  summary: 'The sync history (audit trail), newest first (scope `read`)',
  description:
    'One row per sync (REST, tRPC, batch items, queue messages; dry runs flagged; failures too): who, when, which proposal, outcome, counts, warnings, error, duration and the SHA-256 of the payload. Pass `nextCursor` as `cursor` for the next page. tRPC: `syncRuns`.',
  requestParams: { query: ZSyncRunsParams },
  responses: {
    '200': { description: 'A page of runs', content: json(ZSyncRunPage.meta({ id: 'SyncRunPage' })) },
    '422': { description: 'Invalid or unknown query parameter', content: json(ZValidationErrorBody) },
    ...commonErrors,
  },
};

/** The read-back: its snapshot schema follows the live columns as the payload's does. */
const proposalOperation = (live: LiveSchema): ZodOpenApiOperationObject => ({
  operationId: 'readProposal',
  tags: ['userportalsync'],
  summary: 'The proposal as ISPyB holds it now (read-back; scope `read`)',
  description:
    "The payload's shape (persons with laboratories, lab contacts, sessions with participants and roles, proteins) plus ISPyB ids, so that a portal can diff it against its own data. Datetimes are facility-local `YYYY-MM-DD HH:mm:ss`, externalIds canonical strings. Without its ids it is a valid payload whose sync changes nothing. tRPC: `proposal`.",
  requestParams: {
    path: z.object({
      proposalCode: z.string().meta({ example: 'MX' }),
      proposalNumber: z.string().meta({ example: '3456' }),
    }),
  },
  responses: {
    '200': {
      description: 'The proposal',
      content: json(createProposalSnapshotSchemas(live).proposalSnapshot.meta({ id: 'ProposalSnapshot' })),
    },
    '404': error('ISPyB holds no such proposal'),
    ...commonErrors,
  },
});

const open = { security: [] as Record<string, string[]>[] };

/** What the schemas of a served document follow: the live database's columns. */
export type LiveSchema = Pick<ParseOptions, 'limits' | 'missingColumns'>;

/**
 * The OpenAPI 3.1 document of the REST routes. Without options: the official schema (the committed
 * copy is apps/server/openapi.json); the server passes its live column facts, so that a field this
 * database cannot store is absent from the payload (refuse) or marked ignored (skip), and absent
 * from the read-back in either mode.
 */
export function buildOpenApiDocument(live: LiveSchema = {}): oas31.OpenAPIObject {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'upsync: User Portal Sync for ISPyB',
      version: API_VERSION,
      description:
        "Pushes User Portal proposals (sessions, persons, laboratories, proteins, lab contacts) into ISPyB. A drop-in replacement for py-ISPyB's userportalsync routes, with validation, dry runs, batches and structured results. TypeScript portals can use the typed tRPC client (`@upsync/client`) on `/trpc` instead.",
    },
    servers: [{ url: '.', description: 'This server (relative to where this document is served)' }],
    security: [{ bearerAuth: [] }],
    tags: [
      {
        name: 'userportalsync',
        description:
          'Sync routes: a bearer token with the scope each route names (`sync`, `read`, `reconcile`)',
      },
      { name: 'operations', description: 'Health, readiness and metrics' },
    ],
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A service token (UPSYNC_API_TOKENS `name:secret[:scope+scope]` / UPSYNC_API_TOKENS_FILE; without scopes: `sync`) or a py-ISPyB login JWT, whose permissions map to scopes: `uportal_sync` → `sync`, `uportal_sync_read` → `read`, `uportal_sync_reconcile` → `reconcile`.',
        },
      },
      schemas: payloadComponents(live),
    },
    paths: {
      [SYNC_PROPOSAL_PATH]: { post: syncOperation },
      [SCHEMA_PATH]: { get: schemaOperation },
      [SYNC_PROPOSALS_PATH]: { post: batchOperation },
      [SYNC_RUNS_PATH]: { get: syncRunsOperation },
      [PROPOSAL_OPENAPI_PATH]: { get: proposalOperation(live) },
      '/health': {
        get: {
          ...open,
          operationId: 'health',
          tags: ['operations'],
          summary: 'The process is alive',
          responses: {
            '200': { description: 'Alive', content: json(z.object({ status: z.literal('ok') })) },
          },
        },
      },
      '/ready': {
        get: {
          operationId: 'ready',
          tags: ['operations'],
          summary:
            'The database is reachable and has the tables (checked at most once a second; any valid token, or none with UPSYNC_READY_PUBLIC=true)',
          responses: {
            '200': {
              description: 'Ready (notes: what works degraded, e.g. the sync history table is missing)',
              content: json(z.object({ status: z.literal('ready'), notes: z.string().optional() })),
            },
            '401': error('No valid token (and UPSYNC_READY_PUBLIC is not true)'),
            '503': {
              description: 'Not ready',
              headers: retryAfter,
              content: json(z.object({ status: z.literal('not_ready'), detail: z.string().optional() })),
            },
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          tags: ['operations'],
          summary: 'Prometheus metrics (any valid token, or none with UPSYNC_METRICS_PUBLIC=true)',
          responses: {
            '200': {
              description: 'Prometheus text format',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
            '401': error('No valid token (and UPSYNC_METRICS_PUBLIC is not true)'),
          },
        },
      },
    },
  });
}
