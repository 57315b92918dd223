import { describe, expect, it } from 'vitest';
import { copiedFields } from '../src/sync/upsert.js';

describe('the fields the sync modules copy come from the schema', () => {
  it('leaves out the fields with rules of their own, and refuses an unknown one', () => {
    expect(copiedFields('proposal', ['proposalCode', 'proposalNumber', 'externalId'])).toEqual([
      'title',
      'proposalType',
      'state',
    ]);
    expect(() => copiedFields('person', ['loginName'])).toThrow(/person.loginName is not a payload field/);
  });
});
