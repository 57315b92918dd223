import { FIELD_COLUMNS } from '@upsync/schema';
import { describe, expect, it } from 'vitest';
import { copiedFields } from '../src/sync/copied-fields.js';

describe('the fields the sync modules copy come from the schema', () => {
  it('stores every payload field in the column of the same name (the modules rely on it)', () => {
    for (const [entity, fields] of Object.entries(FIELD_COLUMNS))
      for (const [field, { column }] of Object.entries(fields))
        expect({ entity, column }).toEqual({ entity, column: field });
  });

  it('leaves out the fields with rules of their own, and refuses an unknown one', () => {
    expect(copiedFields('proposal', ['proposalCode', 'proposalNumber', 'externalId'])).toEqual([
      'title',
      'proposalType',
      'state',
    ]);
    expect(() => copiedFields('person', ['loginName'])).toThrow(/person.loginName is not a payload field/);
  });
});
