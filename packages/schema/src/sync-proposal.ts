import * as z from 'zod';
import type { ColumnLimits } from './column-limits.js';
import { resolveLimits } from './default-limits.js';
import { entityObject, omitUndefined, type UnknownKeys } from './entity.js';
import { createFieldContext, createFieldFactory } from './fields.js';
import { createLabContactSchema } from './lab-contact.js';
import { createLaboratorySchema } from './laboratory.js';
import type { MissingColumns } from './missing-columns.js';
import type { PayloadLimits } from './payload-limits.js';
import { createPersonSchema, createSessionOptionsSchema, createSessionPersonSchema } from './person.js';
import { createProposalSchema } from './proposal.js';
import { createProteinSchema } from './protein.js';
import { createSessionSchema } from './session.js';

/** Options of validation: live column facts, unknown-key policy, facility time zone (IANA, default UTC). */
export interface ParseOptions extends Partial<PayloadLimits> {
  limits?: ColumnLimits;
  unknownKeys?: UnknownKeys;
  timeZone?: string;
  /** A field whose column is missing (`present: false` in `limits`): `refuse` (default) or `skip` it with a warning. */
  missingColumns?: MissingColumns;
}

/** The schemas of every payload entity, built for one set of options (throws RangeError for an unknown time zone). */
export function createSyncProposalSchemas(options: ParseOptions = {}) {
  const unknownKeys = options.unknownKeys ?? 'reject';
  const f = createFieldFactory(
    createFieldContext(resolveLimits(options.limits), options.timeZone, options.missingColumns),
  );
  const proposal = createProposalSchema(f, unknownKeys);
  const session = createSessionSchema(f, unknownKeys);
  const protein = createProteinSchema(f, unknownKeys);
  const syncProposal = entityObject(
    {
      proposal,
      sessions: z.array(session).nullable().optional(),
      proteins: z.array(protein).nullable().optional(),
    },
    unknownKeys,
  ).transform(omitUndefined);
  return {
    syncProposal,
    proposal,
    session,
    protein,
    person: createPersonSchema(f, unknownKeys),
    sessionPerson: createSessionPersonSchema(f, unknownKeys),
    sessionOptions: createSessionOptionsSchema(f, unknownKeys),
    laboratory: createLaboratorySchema(f, unknownKeys),
    labContact: createLabContactSchema(f, unknownKeys),
  };
}

/**
 * The payload schema for one set of options. Parsing with it checks fields only; use
 * `parseSyncProposal` for the whole contract (unknown-key hints, person merge, path strings).
 */
export function createSyncProposalSchema(options: ParseOptions = {}) {
  return createSyncProposalSchemas(options).syncProposal;
}

const defaults = createSyncProposalSchemas();

/** The payload of a sync (official schema limits, unknown keys refused, UTC). */
export const ZSyncProposal = defaults.syncProposal;
export const ZProposal = defaults.proposal;
export const ZSession = defaults.session;
export const ZProtein = defaults.protein;
export const ZPerson = defaults.person;
export const ZSessionPerson = defaults.sessionPerson;
export const ZSessionOptions = defaults.sessionOptions;
export const ZLaboratory = defaults.laboratory;
export const ZLabContact = defaults.labContact;

/** What a portal sends. */
export type TSyncProposalInput = z.input<typeof ZSyncProposal>;
/** The normalised payload (`parseSyncProposal`'s `data`). */
export type TSyncProposal = z.output<typeof ZSyncProposal>;
export type TProposalInput = z.input<typeof ZProposal>;
export type TProposal = z.output<typeof ZProposal>;
export type TSessionInput = z.input<typeof ZSession>;
export type TSession = z.output<typeof ZSession>;
export type TProteinInput = z.input<typeof ZProtein>;
export type TProtein = z.output<typeof ZProtein>;
export type TPersonInput = z.input<typeof ZPerson>;
export type TPerson = z.output<typeof ZPerson>;
export type TSessionPersonInput = z.input<typeof ZSessionPerson>;
export type TSessionPerson = z.output<typeof ZSessionPerson>;
export type TSessionOptionsInput = z.input<typeof ZSessionOptions>;
export type TSessionOptions = z.output<typeof ZSessionOptions>;
export type TLaboratoryInput = z.input<typeof ZLaboratory>;
export type TLaboratory = z.output<typeof ZLaboratory>;
export type TLabContactInput = z.input<typeof ZLabContact>;
export type TLabContact = z.output<typeof ZLabContact>;
