import {
  createProposalSnapshotSchemas,
  type ParseOptions,
  syncProposalJsonSchema,
  VERSION,
  ZSyncBatchResult,
  ZSyncResult,
} from '@upsync/schema';
import * as z from 'zod';
import { createDocument, type oas31, type ZodOpenApiOperationObject } from 'zod-openapi';
import { DEFAULT_MAX_BATCH_ITEMS } from './config.js';
import { historyPaths } from './openapi-history.js';
import { bodyErrors, commonErrors, error, json, retryAfter, ZFlags, ZSyncFlags } from './openapi-parts.js';
import { PROPOSAL_OPENAPI_PATH, SCHEMA_PATH, SYNC_PROPOSAL_PATH, SYNC_PROPOSALS_PATH } from './rest/paths.js';
import { ZJsonSchemaDocument } from './wire.js';

/** The REST API's version: the wire contract's, i.e. the @upsync/schema (and SDK) release. */
export const API_VERSION = VERSION;

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
  requestBody: { required: true, content: json(PAYLOAD_REF) },
  requestParams: { query: ZSyncFlags },
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

/** Health, readiness and metrics: the same on every server. */
const operationsPaths: oas31.PathsObject = {
  '/health': {
    get: {
      ...open,
      operationId: 'health',
      tags: ['operations'],
      summary: 'The process is alive',
      responses: {
        '200': { description: 'Alive', content: json(z.object({ status: z.literal('ok') })) },
        // the route itself never refuses; Node.js's HTTP server does, for any route, before it
        '408': { description: 'The request headers did not arrive in time (Node.js answers, no body)' },
        '431': { description: 'Request headers too large (Node.js answers, no body)' },
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
};

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
      // the licence of @upsync/schema and @upsync/client (and of the ISPyB projects)
      license: { name: 'LGPL-3.0-only', identifier: 'LGPL-3.0-only' },
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
      ...historyPaths,
      [PROPOSAL_OPENAPI_PATH]: { get: proposalOperation(live) },
      ...operationsPaths,
    },
  });
}
