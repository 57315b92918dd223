import { FIELD_COLUMNS, type PayloadEntity } from '@upsync/schema';

/**
 * The payload fields of `entity` that a sync module copies onto their columns as given: every
 * field the schema maps to a column (FIELD_COLUMNS, the one list), except the keys and the fields
 * the module writes by rules of its own. A payload field's column has the field's name (the
 * declaration, @upsync/schema declaration.ts, builds them so).
 */
export function copiedFields(entity: PayloadEntity, ownRules: readonly string[]): readonly string[] {
  const fields = Object.keys(FIELD_COLUMNS[entity]);
  // a renamed field must not silently start being copied
  for (const field of ownRules)
    if (!fields.includes(field)) throw new Error(`${entity}.${field} is not a payload field`);
  return fields.filter((field) => !ownRules.includes(field));
}
