import { entityObject, omitUndefined, type UnknownKeys } from './entity.js';
import { FIELD_COLUMNS } from './field-columns.js';
import { enumOf, type FieldFactory, flag, float, integer, text } from './fields.js';
import { INT_UNSIGNED, TINYINT_UNSIGNED } from './numbers.js';
import { createPersonSchema } from './person.js';

const c = FIELD_COLUMNS.protein;

/** A protein (safety-approved sample) of the proposal, with its owner. */
export function createProteinSchema(f: FieldFactory, unknownKeys: UnknownKeys) {
  return entityObject(
    {
      acronym: f.req(text({ nonEmpty: true }), c.acronym),
      person: createPersonSchema(f, unknownKeys),
      externalId: f.externalId(c.externalId),
      name: f.opt(text(), c.name),
      description: f.opt(text(), c.description),
      sequence: f.opt(text(), c.sequence),
      hazardGroup: f.optNotNull(integer(TINYINT_UNSIGNED), c.hazardGroup),
      containmentLevel: f.optNotNull(integer(TINYINT_UNSIGNED), c.containmentLevel),
      safetyLevel: f.opt(enumOf<'GREEN' | 'YELLOW' | 'RED'>(), c.safetyLevel),
      molecularMass: f.opt(float(), c.molecularMass),
      proteinType: f.opt(text(), c.proteinType),
      modId: f.opt(text(), c.modId),
      isCreatedBySampleSheet: f.opt(flag(), c.isCreatedBySampleSheet),
      componentTypeId: f.opt(integer(INT_UNSIGNED), c.componentTypeId),
      concentrationTypeId: f.opt(integer(INT_UNSIGNED), c.concentrationTypeId),
    },
    unknownKeys,
  ).transform(omitUndefined);
}
