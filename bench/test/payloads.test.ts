import { describe, expect, it } from 'vitest';
import { type Json, type JsonObject, PayloadFactory } from '../src/payloads.js';
import { prefillStatements } from '../src/prefill.js';

const persons = (p: JsonObject): JsonObject[] => {
  const out: JsonObject[] = [];
  const walk = (v: Json) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (typeof v.login === 'string') out.push(v);
      Object.values(v).forEach(walk);
    }
  };
  walk(p);
  return out;
};

describe('payload generators', () => {
  it('typical proposal has the shape of the py-ISPyB example', () => {
    const p = new PayloadFactory({ namespace: 't' }).typical();
    const proposal = p.proposal as JsonObject;
    expect((proposal.persons as Json[]).length).toBe(3);
    expect((proposal.labcontacts as Json[]).length).toBe(2);
    expect((p.sessions as Json[]).length).toBe(2);
    expect((p.proteins as Json[]).length).toBe(2);
    expect(new Set(persons(p).map((x) => x.login)).size).toBe(6);
  });

  it('is deterministic for a seed and namespace, and keys never repeat', () => {
    const a = new PayloadFactory({ seed: 7, namespace: 'x' });
    const b = new PayloadFactory({ seed: 7, namespace: 'x' });
    expect(a.realistic()).toEqual(b.realistic());
    const numbers = new Set<Json>();
    for (let i = 0; i < 200; i++) numbers.add((a.typical().proposal as JsonObject).proposalNumber!);
    expect(numbers.size).toBe(200);
  });

  it('realistic proposals stay within the issue ranges and share some persons', () => {
    const f = new PayloadFactory({ seed: 1, namespace: 'r', sharedPersons: 20 });
    const logins = new Map<Json, number>();
    for (let i = 0; i < 100; i++) {
      const p = f.realistic();
      const proposal = p.proposal as JsonObject;
      const n = (proposal.persons as Json[]).length;
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(10);
      expect((p.sessions as Json[]).length).toBeGreaterThanOrEqual(2);
      expect((p.sessions as Json[]).length).toBeLessThanOrEqual(5);
      expect((p.proteins as Json[]).length).toBeGreaterThanOrEqual(1);
      expect((p.proteins as Json[]).length).toBeLessThanOrEqual(3);
      expect((proposal.labcontacts as Json[]).length).toBeGreaterThanOrEqual(1);
      expect((proposal.labcontacts as Json[]).length).toBeLessThanOrEqual(2);
      for (const person of proposal.persons as JsonObject[])
        logins.set(person.login!, (logins.get(person.login!) ?? 0) + 1);
    }
    expect([...logins.values()].some((c) => c > 1)).toBe(true);
  });
});

describe('prefill', () => {
  it('fills every table from the sequence engine', () => {
    const sql = prefillStatements(10_000).join('\n');
    for (const table of [
      'Laboratory',
      'Person',
      'Proposal',
      'ProposalHasPerson',
      'BLSession',
      'Session_has_Person',
      'Protein',
      'LabContact',
    ])
      expect(sql).toContain(`INSERT INTO ${table} `);
    expect(sql).toContain('seq_1_to_10000');
    expect(prefillStatements(0)).toEqual([]);
  });
});
