import * as z from 'zod';
import { payloadShape } from './declared-shapes.js';
import { entityObject, omitUndefined, type UnknownKeys } from './entity.js';
import type { FieldFactory } from './fields.js';
import { createLabContactSchema } from './lab-contact.js';
import { createPersonSchema } from './person.js';

/** The proposal: its key (code + number), its persons (the first is the PI) and lab contacts. */
export function createProposalSchema(f: FieldFactory, unknownKeys: UnknownKeys) {
  return entityObject(
    {
      ...payloadShape(f, 'proposal'),
      persons: z.array(createPersonSchema(f, unknownKeys)).min(1),
      labcontacts: z.array(createLabContactSchema(f, unknownKeys)).nullable().optional(),
    },
    unknownKeys,
  ).transform(omitUndefined);
}
