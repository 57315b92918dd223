import { payloadShape, withPartsAfter } from './declared-shapes.js';
import { entityObject, omitUndefined, type UnknownKeys } from './entity.js';
import type { FieldFactory } from './fields.js';
import { createPersonSchema } from './person.js';

/** A lab contact (shipping card) of the proposal. */
export function createLabContactSchema(f: FieldFactory, unknownKeys: UnknownKeys) {
  return entityObject(
    withPartsAfter(payloadShape(f, 'labContact'), 'cardName', {
      person: createPersonSchema(f, unknownKeys),
    }),
    unknownKeys,
  ).transform(omitUndefined);
}
