import * as z from 'zod';
import { entityObject, omitUndefined, type UnknownKeys } from './entity.js';
import { FIELD_COLUMNS } from './field-columns.js';
import { enumOf, type FieldFactory, text } from './fields.js';
import { createLabContactSchema } from './lab-contact.js';
import { createPersonSchema } from './person.js';

const c = FIELD_COLUMNS.proposal;

/** The proposal: its key (code + number), its persons (the first is the PI) and lab contacts. */
export function createProposalSchema(f: FieldFactory, unknownKeys: UnknownKeys) {
  return entityObject(
    {
      proposalCode: f.req(text({ nonEmpty: true }), c.proposalCode),
      // py-ISPyB scripts send it as a JSON number: accepted, stored as a string.
      proposalNumber: f.req(text({ nonEmpty: true }), c.proposalNumber),
      title: f.opt(text(), c.title),
      proposalType: f.opt(text(), c.proposalType),
      state: f.opt(enumOf<'Open' | 'Closed' | 'Cancelled'>(), c.state),
      externalId: f.externalId(c.externalId),
      persons: z.array(createPersonSchema(f, unknownKeys)).min(1),
      labcontacts: z.array(createLabContactSchema(f, unknownKeys)).nullable().optional(),
    },
    unknownKeys,
  ).transform(omitUndefined);
}
