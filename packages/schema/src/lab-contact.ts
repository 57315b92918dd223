import { entityObject, omitUndefined, type UnknownKeys } from './entity.js';
import { FIELD_COLUMNS } from './field-columns.js';
import { type FieldFactory, integer, text } from './fields.js';
import { INT_UNSIGNED } from './numbers.js';
import { createPersonSchema } from './person.js';

const c = FIELD_COLUMNS.labContact;

/** A lab contact (shipping card) of the proposal. */
export function createLabContactSchema(f: FieldFactory, unknownKeys: UnknownKeys) {
  return entityObject(
    {
      cardName: f.req(text({ nonEmpty: true }), c.cardName),
      person: createPersonSchema(f, unknownKeys),
      defaultCourrierCompany: f.opt(text(), c.defaultCourrierCompany),
      courierAccount: f.opt(text(), c.courierAccount),
      billingReference: f.opt(text(), c.billingReference),
      dewarAvgCustomsValue: f.optNotNull(integer(INT_UNSIGNED), c.dewarAvgCustomsValue),
      dewarAvgTransportValue: f.optNotNull(integer(INT_UNSIGNED), c.dewarAvgTransportValue),
    },
    unknownKeys,
  ).transform(omitUndefined);
}
