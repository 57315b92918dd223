import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syncProposalJsonSchema } from '../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema documents are walked freely here
type Json = any;
const committed = JSON.parse(readFileSync(new URL('../sync-proposal.schema.json', import.meta.url), 'utf8'));

describe('JSON Schema', () => {
  it('matches the committed sync-proposal.schema.json (run `npm run generate:json-schema` after changing the schema)', () => {
    expect(syncProposalJsonSchema()).toEqual(committed);
  });

  it('is draft 2020-12, refuses unknown keys and carries the column limits', () => {
    const schema = syncProposalJsonSchema() as Json;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['proposal']);
    expect(schema.additionalProperties).toBe(false);
    const person = schema.properties.proposal.properties.persons.items;
    expect(person.properties.familyName.maxLength).toBe(100);
    expect(person.anyOf).toHaveLength(2);
  });

  it('follows live limits', () => {
    const schema = syncProposalJsonSchema({ limits: { Person: { familyName: { maxLength: 45 } } } }) as Json;
    expect(schema.properties.proposal.properties.persons.items.properties.familyName.maxLength).toBe(45);
  });

  it("allows additional properties under unknownKeys: 'strip'", () => {
    const schema = syncProposalJsonSchema({ unknownKeys: 'strip' }) as Json;
    expect(schema.additionalProperties).toBeUndefined();
    expect(schema.properties.proposal.additionalProperties).toBeUndefined();
  });
});
