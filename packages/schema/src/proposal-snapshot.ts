import * as z from 'zod';
import type { ColumnLimits } from './column-limits.js';
import { snapshotShape, withPartsAfter } from './declared-shapes.js';
import { resolveLimits } from './default-limits.js';
import { isLatin1CodePoint } from './text.js';

// Plain output shapes (no transforms), so that they describe responses in OpenAPI. Fields are those
// of the payload; a column this ISPyB database lacks is absent. Datetimes are facility-local
// `YYYY-MM-DD HH:mm:ss` (the payload's normal form); externalIds canonical strings; flags 0 | 1.
// Every scalar field comes from the declaration (declared-shapes.ts).

/**
 * The read-back's schemas for one database: `limits` as the payload's schema takes them (the live
 * column facts), so that a field whose column is missing is in neither. Default: the official schema.
 */
export function createProposalSnapshotSchemas(options: { limits?: ColumnLimits } = {}) {
  const limits = resolveLimits(options.limits);
  const laboratory = z.object({
    laboratoryId: z.number().int(),
    ...snapshotShape('laboratory', limits),
  });
  const personFields = {
    personId: z.number().int(),
    ...snapshotShape('person', limits),
    laboratory: laboratory.nullable().optional(),
  };
  const person = z.object(personFields);
  const sessionPerson = z.object({
    ...personFields,
    session_options: z.object(snapshotShape('sessionOptions', limits)),
  });
  const labContact = z.object({
    labContactId: z.number().int(),
    ...withPartsAfter(snapshotShape('labContact', limits), 'cardName', { person }),
  });
  const protein = z.object({
    proteinId: z.number().int(),
    ...withPartsAfter(snapshotShape('protein', limits), 'acronym', { person: person.nullable() }),
  });
  const session = z.object({
    sessionId: z.number().int(),
    ...snapshotShape('session', limits),
    persons: z.array(sessionPerson),
  });
  /**
   * A proposal as ISPyB holds it now, in the payload's own shape plus ISPyB ids (`proposalId`,
   * `personId`, …) so that a portal can diff it against its data and map rows.
   * `proposal.persons[0]` is the proposal's principal person (Proposal.personId).
   */
  const proposalSnapshot = z.object({
    proposal: z.object({
      proposalId: z.number().int(),
      ...snapshotShape('proposal', limits),
      persons: z.array(person),
      labcontacts: z.array(labContact),
    }),
    sessions: z.array(session),
    proteins: z.array(protein),
  });
  return { proposalSnapshot, laboratory, person, sessionPerson, labContact, protein, session };
}

const official = createProposalSnapshotSchemas();

export const ZSnapshotLaboratory = official.laboratory;
export type TSnapshotLaboratory = z.infer<typeof ZSnapshotLaboratory>;
export const ZSnapshotPerson = official.person;
export type TSnapshotPerson = z.infer<typeof ZSnapshotPerson>;
export const ZSnapshotSessionPerson = official.sessionPerson;
export type TSnapshotSessionPerson = z.infer<typeof ZSnapshotSessionPerson>;
export const ZSnapshotLabContact = official.labContact;
export type TSnapshotLabContact = z.infer<typeof ZSnapshotLabContact>;
export const ZSnapshotProtein = official.protein;
export type TSnapshotProtein = z.infer<typeof ZSnapshotProtein>;
export const ZSnapshotSession = official.session;
export type TSnapshotSession = z.infer<typeof ZSnapshotSession>;
/** The read-back of the official schema (see createProposalSnapshotSchemas). */
export const ZProposalSnapshot = official.proposalSnapshot;
export type TProposalSnapshot = z.infer<typeof ZProposalSnapshot>;

/** Input of the read-back: the proposal's key. */
/**
 * One part of a proposal key as ISPyB can hold it (varchar(45), latin1): anything else names no
 * proposal, and would make the look-up fail (U+0000 on SQLite, an illegal mix of collations on
 * MariaDB) instead of answering.
 */
const ZKeyPart = z
  .string()
  .min(1)
  .max(45)
  .refine((s) => !s.includes('\u0000'), { message: 'must not contain U+0000 (NUL)' })
  .refine((s) => [...s].every((ch) => isLatin1CodePoint(ch.codePointAt(0)!)), {
    message: 'holds characters a proposal key (a latin1 column) cannot hold',
  });

export const ZProposalKey = z.object({
  proposalCode: ZKeyPart,
  proposalNumber: ZKeyPart,
});
export type TProposalKey = z.infer<typeof ZProposalKey>;
