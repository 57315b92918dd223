import * as z from 'zod';

/** The kinds of rows one sync writes, in the order they are resolved. */
export const ZEntityKind = z.enum([
  'laboratories',
  'persons',
  'proposal',
  'proposalParticipants',
  'labContacts',
  'proteins',
  'sessions',
  'sessionParticipants',
]);
export type TEntityKind = z.infer<typeof ZEntityKind>;

export const ZEntityOutcome = z.enum(['created', 'updated', 'unchanged', 'deleted']);
export type TEntityOutcome = z.infer<typeof ZEntityOutcome>;

const ZKeyValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** What happened to one row: its key as the payload gave it, its ISPyB id and the outcome. */
export const ZEntityResult = z.object({
  /** Payload path of the entry (the first one, for merged persons); '' for rows the sync derived. */
  path: z.string(),
  /** The entry's key fields as given (externalId, login, acronym, cardName, …). */
  key: z.record(z.string(), ZKeyValue),
  /** ISPyB primary key; in a dry run, ids of created rows are provisional (rolled back). */
  id: z.number().int().nullable(),
  outcome: ZEntityOutcome,
  /** Columns written on `updated` (payload field names). */
  changedFields: z.array(z.string()).optional(),
});
export type TEntityResult = z.infer<typeof ZEntityResult>;

export const ZSyncWarning = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
});
export type TSyncWarning = z.infer<typeof ZSyncWarning>;

const ZOutcomeCounts = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  deleted: z.number().int(),
});

/** The structured report of one proposal sync (sync-spec §6). */
export const ZSyncResult = z.object({
  /** py-ISPyB's sentence, for scripts written against it. */
  message: z.string(),
  proposal: z.object({
    proposalId: z.number().int().nullable(),
    proposalCode: z.string(),
    proposalNumber: z.string(),
  }),
  entities: z.object({
    laboratories: z.array(ZEntityResult),
    persons: z.array(ZEntityResult),
    proposal: z.array(ZEntityResult),
    proposalParticipants: z.array(ZEntityResult),
    labContacts: z.array(ZEntityResult),
    proteins: z.array(ZEntityResult),
    sessions: z.array(ZEntityResult),
    sessionParticipants: z.array(ZEntityResult),
  }),
  /**
   * Counts per entity kind, derived from `entities`, for summaries and metrics. Spelled out rather
   * than `z.record(ZEntityKind, …)`, whose JSON Schema requires keys it does not define as
   * properties (OpenAPI linters, and client generators, see an object without fields).
   */
  summary: z.object({
    laboratories: ZOutcomeCounts,
    persons: ZOutcomeCounts,
    proposal: ZOutcomeCounts,
    proposalParticipants: ZOutcomeCounts,
    labContacts: ZOutcomeCounts,
    proteins: ZOutcomeCounts,
    sessions: ZOutcomeCounts,
    sessionParticipants: ZOutcomeCounts,
  } satisfies Record<TEntityKind, typeof ZOutcomeCounts>),
  warnings: z.array(ZSyncWarning),
  dryRun: z.boolean(),
  reconcile: z.boolean(),
  elapsedMs: z.number(),
});
export type TSyncResult = z.infer<typeof ZSyncResult>;
