import { payloadShape } from './declared-shapes.js';
import { entityObject, omitUndefined, type UnknownKeys } from './entity.js';
import type { FieldFactory } from './fields.js';

/** The laboratory (institute) of a person. `country` is required by the spec. */
export function createLaboratorySchema(f: FieldFactory, unknownKeys: UnknownKeys) {
  return entityObject(payloadShape(f, 'laboratory'), unknownKeys).transform(omitUndefined);
}
