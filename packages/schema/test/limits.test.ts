import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COLUMN_LIMITS,
  parseSyncProposal,
  resolveLimits,
  syncProposalJsonSchema,
} from '../src/index.js';
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

describe('missing columns (other ISPyB flavours)', () => {
  const limits = {
    BLSession: { expSessionPk: { present: false }, sessionTitle: { present: false } },
    Laboratory: { laboratoryExtPk: { present: false } },
  };

  it('skip: drops each field without a column and warns once per payload path (MISSING_COLUMN)', () => {
    const result = parseSyncProposal(example('pyispyb-create'), { limits, missingColumns: 'skip' });
    if (!result.success) throw new Error(JSON.stringify(result.errors));
    expect(result.warnings.map((w) => w.path).sort()).toEqual(
      [
        'sessions[0].sessionTitle',
        'sessions[1].sessionTitle',
        'sessions[1].expSessionPk',
        // sessions[1] has no externalId: with expSessionPk gone it has no key and is not synced
        'sessions[1]',
        // every person of the example carries a laboratory with a laboratoryExtPk
        'proposal.persons[0].laboratory.laboratoryExtPk',
        'proposal.labcontacts[0].person.laboratory.laboratoryExtPk',
        'proposal.labcontacts[1].person.laboratory.laboratoryExtPk',
        'proteins[0].person.laboratory.laboratoryExtPk',
        'proteins[1].person.laboratory.laboratoryExtPk',
        'sessions[0].persons[0].laboratory.laboratoryExtPk',
        'sessions[1].persons[0].laboratory.laboratoryExtPk',
      ].sort(),
    );
    expect(new Set(result.warnings.map((w) => w.code))).toEqual(new Set(['MISSING_COLUMN']));
    expect(result.warnings.find((w) => w.path === 'sessions[0].sessionTitle')?.message).toBe(
      'not written: the column BLSession.sessionTitle does not exist in this ISPyB database',
    );
    expect(result.warnings.find((w) => w.path === 'sessions[1]')?.message).toMatch(
      /^not synced: its only key, expSessionPk, cannot be stored .*send an externalId$/,
    );
    expect(result.data.sessions![0]).not.toHaveProperty('sessionTitle');
    expect(result.data.sessions![1]).not.toHaveProperty('expSessionPk');
    expect(result.data.proposal.persons[0]!.laboratory).not.toHaveProperty('laboratoryExtPk');
    expect(result.persons[0]!.person.laboratory).not.toHaveProperty('laboratoryExtPk');
  });

  it('refuse (the default) names every path of a field without a column', () => {
    const result = parseSyncProposal(example('pyispyb-create'), { limits });
    expect(errorAt(result, 'sessions[1].expSessionPk').code).toBe('missing_column');
    expect(errorAt(result, 'proposal.persons[0].laboratory.laboratoryExtPk').message).toBe(
      'the column Laboratory.laboratoryExtPk does not exist in this ISPyB database',
    );
  });

  it('the JSON Schema leaves such a field out (refuse) or marks it ignored (skip)', () => {
    const refused = JSON.stringify(syncProposalJsonSchema({ limits }));
    expect(refused).not.toContain('laboratoryExtPk');
    expect(refused).not.toContain('sessionTitle');
    expect(refused).toContain('"beamLineName"');
    const skipped = JSON.stringify(syncProposalJsonSchema({ limits, missingColumns: 'skip' }));
    expect(skipped).toContain('"sessionTitle":{"x-upsync-ignored":true,"deprecated":true');
    expect(JSON.stringify(syncProposalJsonSchema())).toContain('"laboratoryExtPk"');
  });
});
