import * as z from 'zod';
import { snapshotShape, withPartsAfter } from './declared-shapes.js';
import { isLatin1CodePoint } from './text.js';

// Plain output shapes (no transforms), so that they describe responses in OpenAPI. Fields are those
// of the payload; a column this ISPyB database lacks is absent. Datetimes are facility-local
// `YYYY-MM-DD HH:mm:ss` (the payload's normal form); externalIds canonical strings; flags 0 | 1.
// Every scalar field comes from the declaration (declared-shapes.ts).

export const ZSnapshotLaboratory = z.object({
  laboratoryId: z.number().int(),
  ...snapshotShape('laboratory'),
});
export type TSnapshotLaboratory = z.infer<typeof ZSnapshotLaboratory>;

const personFields = {
  personId: z.number().int(),
  ...snapshotShape('person'),
  laboratory: ZSnapshotLaboratory.nullable().optional(),
};

export const ZSnapshotPerson = z.object(personFields);
export type TSnapshotPerson = z.infer<typeof ZSnapshotPerson>;

export const ZSnapshotSessionPerson = z.object({
  ...personFields,
  session_options: z.object(snapshotShape('sessionOptions')),
});
export type TSnapshotSessionPerson = z.infer<typeof ZSnapshotSessionPerson>;

export const ZSnapshotLabContact = z.object({
  labContactId: z.number().int(),
  ...withPartsAfter(snapshotShape('labContact'), 'cardName', { person: ZSnapshotPerson }),
});
export type TSnapshotLabContact = z.infer<typeof ZSnapshotLabContact>;

export const ZSnapshotProtein = z.object({
  proteinId: z.number().int(),
  ...withPartsAfter(snapshotShape('protein'), 'acronym', { person: ZSnapshotPerson.nullable() }),
});
export type TSnapshotProtein = z.infer<typeof ZSnapshotProtein>;

export const ZSnapshotSession = z.object({
  sessionId: z.number().int(),
  ...snapshotShape('session'),
  persons: z.array(ZSnapshotSessionPerson),
});
export type TSnapshotSession = z.infer<typeof ZSnapshotSession>;

/**
 * A proposal as ISPyB holds it now, in the payload's own shape plus ISPyB ids (`proposalId`,
 * `personId`, …) so that a portal can diff it against its data and map rows.
 * `proposal.persons[0]` is the proposal's principal person (Proposal.personId).
 */
export const ZProposalSnapshot = z.object({
  proposal: z.object({
    proposalId: z.number().int(),
    ...snapshotShape('proposal'),
    persons: z.array(ZSnapshotPerson),
    labcontacts: z.array(ZSnapshotLabContact),
  }),
  sessions: z.array(ZSnapshotSession),
  proteins: z.array(ZSnapshotProtein),
});
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
