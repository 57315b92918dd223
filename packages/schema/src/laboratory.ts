import { entityObject, omitUndefined, type UnknownKeys } from './entity.js';
import { FIELD_COLUMNS } from './field-columns.js';
import { type FieldFactory, integer, text } from './fields.js';
import { INT_SIGNED } from './numbers.js';

const c = FIELD_COLUMNS.laboratory;

/** The laboratory (institute) of a person. `country` is required by the spec. */
export function createLaboratorySchema(f: FieldFactory, unknownKeys: UnknownKeys) {
  return entityObject(
    {
      name: f.opt(text(), c.name),
      address: f.opt(text(), c.address),
      city: f.opt(text(), c.city),
      country: f.req(text(), c.country),
      url: f.opt(text(), c.url),
      laboratoryExtPk: f.opt(integer(INT_SIGNED), c.laboratoryExtPk),
    },
    unknownKeys,
  ).transform(omitUndefined);
}
