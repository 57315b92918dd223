import { describe, expect, it } from 'vitest';
import { parseSyncProposal, syncProposalJsonSchema } from '../src/index.js';
import { INT_UNSIGNED, toFloat, toInteger } from '../src/numbers.js';
import { errorAt, errorsOf, example } from './helpers.js';

describe('numeric strings are read in linear time', () => {
  it('a worst-case numeric string (digits then a stray character) does not block the event loop', () => {
    // the former pattern split the digit run every way before failing: ~0.4 ms per value, so one
    // payload of such values blocked for seconds; the linear one takes ~1 µs
    const worst = [`${'1'.repeat(399)}x`, `${'1'.repeat(398)}.x`, `1e${'1'.repeat(397)}x`];
    // expect() outside the timed loop: 96,000 of them cost more than the parsing on a busy machine
    let accepted = 0;
    const started = performance.now();
    for (let i = 0; i < 4000; i++) {
      for (const value of worst) {
        if (toFloat(value).ok) accepted++;
        if (toInteger(value, INT_UNSIGNED).ok) accepted++;
      }
    }
    expect(performance.now() - started).toBeLessThan(1500);
    expect(accepted).toBe(0);
  });

  it('still reads every decimal spelling', () => {
    for (const [text, value] of [
      ['2.5', 2.5],
      ['-.5', -0.5],
      ['+3.', 3],
      ['1e3', 1000],
      ['12.5E-1', 1.25],
    ] as const) {
      expect(toFloat(text)).toEqual({ ok: true, value });
    }
    for (const text of ['.', '1.2.3', 'e3', '1e', '--1', '0x10']) expect(toFloat(text).ok).toBe(false);
  });
});

describe('U+0000 in text', () => {
  it('is refused with its path, wherever it is', () => {
    const payload = example('pyispyb-create');
    payload.proposal.title = 'a\u0000b';
    payload.proposal.persons[0].familyName = '\u0000';
    const result = parseSyncProposal(payload);
    expect(errorAt(result, 'proposal.title')).toMatchObject({ code: 'nul_character' });
    expect(errorAt(result, 'proposal.title').message).toMatch(/U\+0000.*position 2/);
    expect(errorAt(result, 'proposal.persons[0].familyName')).toMatchObject({ code: 'nul_character' });
  });
});

describe('list lengths (maxItems)', () => {
  it('a list longer than maxItems is refused with its path, before the entries are validated', () => {
    const payload = example('pyispyb-create');
    const person = payload.proposal.persons[0];
    payload.proposal.persons = Array.from({ length: 100_000 }, () => person);
    const started = performance.now();
    const result = parseSyncProposal(payload);
    expect(performance.now() - started).toBeLessThan(200);
    expect(errorsOf(result)).toEqual([
      {
        path: 'proposal.persons',
        code: 'too_many_items',
        message: '100000 entries: a list holds at most 2000 (limit maxItems)',
      },
    ]);
  });

  it('the limit is a parse option, and applies to every list', () => {
    const payload = example('pyispyb-create');
    payload.sessions[0].persons = [...payload.sessions[0].persons, ...payload.sessions[0].persons];
    const count = payload.sessions[0].persons.length;
    expect(parseSyncProposal(payload, { maxItems: count }).success).toBe(true);
    expect(errorAt(parseSyncProposal(payload, { maxItems: count - 1 }), 'sessions[0].persons')).toMatchObject(
      {
        code: 'too_many_items',
      },
    );
    expect(errorsOf(parseSyncProposal(payload, { maxItems: 0 }))[0]).toMatchObject({
      code: 'invalid_option',
    });
  });

  it('the JSON Schema shows maxItems on every list', () => {
    const lists: unknown[] = [];
    const walk = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      if (record.type === 'array') lists.push(record.maxItems);
      for (const child of Object.values(record)) walk(child);
    };
    walk(syncProposalJsonSchema({ maxItems: 7 }));
    expect(lists.length).toBeGreaterThanOrEqual(5);
    expect(new Set(lists)).toEqual(new Set([7]));
  });
});

describe('validation issues (maxIssues)', () => {
  it('a payload full of mistakes lists maxIssues of them and counts the rest', () => {
    const payload = example('pyispyb-create');
    const person = payload.proposal.persons[0];
    payload.proposal.persons = Array.from({ length: 1500 }, () => ({ ...person, emailAddress: true }));
    const errors = errorsOf(parseSyncProposal(payload));
    expect(errors).toHaveLength(101);
    expect(errors.at(-1)).toEqual({
      path: '',
      code: 'too_many_issues',
      message: '1400 more issues not listed (limit maxIssues = 100)',
    });
    expect(errorsOf(parseSyncProposal(payload, { maxIssues: 3 }))).toHaveLength(4);
  });
});
