import { describe, expect, it } from 'vitest';
import { DEFAULT_COLUMN_LIMITS, parseSyncProposal, resolveLimits } from '../src/index.js';
import { dataOf, errorAt, errorsOf, example } from './helpers.js';

describe('column limits', () => {
  it('defaults to the official schema’s facts (the declaration’s)', () => {
    expect(resolveLimits()).toEqual(DEFAULT_COLUMN_LIMITS);
    expect(DEFAULT_COLUMN_LIMITS.Person.familyName?.maxLength).toBe(100);
    expect(DEFAULT_COLUMN_LIMITS.LabContact.cardName).toMatchObject({ maxLength: 40, latin1: true });
  });

  it('merges live limits column by column (drifted databases: familyName 45 utf8mb4)', () => {
    const input = example('pyispyb-create');
    input.proposal.persons[0].familyName = 'x'.repeat(50);
    input.proposal.labcontacts[0].cardName = 'Łukasz';
    const limits = { Person: { familyName: { maxLength: 45 } }, LabContact: { cardName: { latin1: false } } };
    const result = parseSyncProposal(input, { limits });
    expect(errorsOf(result)).toEqual([
      {
        path: 'proposal.persons[0].familyName',
        code: 'too_long',
        message: '50 characters, the column Person.familyName holds at most 45',
      },
    ]);
    expect(parseSyncProposal(input).success).toBe(false); // cardName is latin1 by default
  });

  it('reads the session roles from the limits (Diamond adds values)', () => {
    const input = example('pyispyb-create');
    input.sessions[0].persons[0].session_options.role = 'Data Access';
    expect(errorAt(parseSyncProposal(input), 'sessions[0].persons[0].session_options.role').code).toBe(
      'invalid_enum',
    );
    const enumValues = [...(DEFAULT_COLUMN_LIMITS.Session_has_Person.role?.enumValues ?? []), 'Data Access'];
    const data = dataOf(
      parseSyncProposal(input, { limits: { Session_has_Person: { role: { enumValues } } } }),
    );
    expect(data.sessions![0]!.persons![0]!.session_options!.role).toBe('Data Access');
  });

  it('refuses a field whose column the database lacks (missing_column)', () => {
    const input = example('pyispyb-create');
    input.sessions[0].projectCode = 'P1';
    const limits = { BLSession: { projectCode: { present: false }, sessionTitle: { present: false } } };
    const result = parseSyncProposal(input, { limits });
    expect(errorAt(result, 'sessions[0].projectCode')).toMatchObject({
      code: 'missing_column',
      message: 'the column BLSession.projectCode does not exist in this ISPyB database',
    });
    expect(errorAt(result, 'sessions[1].sessionTitle').code).toBe('missing_column');
  });

  it('refuses invalid options without throwing', () => {
    const input = example('pyispyb-create');
    expect(errorsOf(parseSyncProposal(input, { timeZone: 'Mars/Olympus' }))).toEqual([
      {
        path: '',
        code: 'invalid_option',
        message: 'options.timeZone: "Mars/Olympus" is not an IANA time zone name such as "Europe/Berlin"',
      },
    ]);
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong options from untyped callers
    const bad: any = { unknownKeys: 'ignore', limits: { Person: { login: { maxlength: 5 } } } };
    const errors = errorsOf(parseSyncProposal(input, bad));
    expect(errors.every((e) => e.code === 'invalid_option' && e.path === '')).toBe(true);
    const messages = errors.map((e) => e.message).join('\n');
    expect(messages).toContain('options.unknownKeys');
    expect(messages).toContain('options.limits.Person.login');
  });
});
