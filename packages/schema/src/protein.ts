import { payloadShape, withPartsAfter } from './declared-shapes.js';
import { entityObject, omitUndefined, type UnknownKeys } from './entity.js';
import type { FieldFactory } from './fields.js';
import { createPersonSchema } from './person.js';

/** A protein (safety-approved sample) of the proposal, with its owner. */
export function createProteinSchema(f: FieldFactory, unknownKeys: UnknownKeys) {
  return entityObject(
    withPartsAfter(payloadShape(f, 'protein'), 'acronym', {
      person: createPersonSchema(f, unknownKeys),
    }),
    unknownKeys,
  ).transform(omitUndefined);
}
