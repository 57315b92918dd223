import { describe, expect, it } from 'vitest';
import { parseSyncProposal } from '../src/index.js';
import { dataOf, errorAt, errorsOf, example } from './helpers.js';

const create = () => example('pyispyb-create');

describe('rule 1: every field of §3 with py-ISPyB names', () => {
  it('accepts every field of every entity', () => {
    const input = create();
    Object.assign(input.proposal, { state: 'Open', labcontacts: input.proposal.labcontacts });
    Object.assign(input.proposal.labcontacts[0], {
      defaultCourrierCompany: 'DHL',
      courierAccount: '123',
      billingReference: 'ref',
      dewarAvgCustomsValue: 100,
      dewarAvgTransportValue: '200',
    });
    Object.assign(input.proposal.persons[0], { faxNumber: '1', siteId: 7, personUUID: 'u', passwd: null });
    Object.assign(input.proposal.persons[0].laboratory, { url: 'https://desy.de' });
    Object.assign(input.sessions[0], {
      lastUpdate: '2022-05-22T00:00:00Z',
      projectCode: 'p',
      protectedData: 'yes',
      expSessionPk: 1,
    });
    Object.assign(input.proteins[0], {
      description: 'd',
      sequence: 'MKV',
      safetyLevel: 'GREEN',
      molecularMass: '12.5',
      proteinType: 't',
      modId: 'm',
      isCreatedBySampleSheet: false,
      componentTypeId: 1,
      concentrationTypeId: '2',
    });
    const data = dataOf(parseSyncProposal(input));
    expect(data.proposal.labcontacts![0]!.dewarAvgTransportValue).toBe(200);
    expect(data.proteins![0]).toMatchObject({
      molecularMass: 12.5,
      isCreatedBySampleSheet: 0,
      concentrationTypeId: 2,
    });
    expect(data.sessions![0]!.lastUpdate).toBe('2022-05-22 00:00:00');
    expect('passwd' in data.proposal.persons[0]!).toBe(false);
  });
});

describe('rule 2: required fields and "at least one of"', () => {
  it('requires proposalCode', () => {
    const input = create();
    delete input.proposal.proposalCode;
    const e = errorAt(parseSyncProposal(input), 'proposal.proposalCode');
    expect(e).toMatchObject({ code: 'required', message: 'this field is required' });
  });

  it('requires a login or an externalId for a person', () => {
    const input = create();
    delete input.sessions[1].persons[0].login;
    input.sessions[1].persons[0].externalId = null;
    const e = errorAt(parseSyncProposal(input), 'sessions[1].persons[0]');
    expect(e.code).toBe('at_least_one');
    expect(e.message).toMatch(/login or an externalId/);
  });

  it('requires an externalId or an expSessionPk for a session', () => {
    const input = create();
    delete input.sessions[1].expSessionPk;
    expect(errorAt(parseSyncProposal(input), 'sessions[1]')).toMatchObject({
      code: 'at_least_one',
      message: 'a session needs an externalId or an expSessionPk (or both)',
    });
  });

  it('requires at least one person in a proposal', () => {
    const input = create();
    input.proposal.persons = [];
    expect(errorAt(parseSyncProposal(input), 'proposal.persons')).toMatchObject({
      code: 'at_least_one',
      message: 'a proposal needs at least one person',
    });
  });

  it('requires the country of a laboratory, and refuses null for NOT NULL columns', () => {
    const input = create();
    delete input.proposal.persons[1].laboratory.country;
    input.proposal.labcontacts[0].cardName = null;
    input.proposal.labcontacts[1].dewarAvgCustomsValue = null;
    const result = parseSyncProposal(input);
    expect(errorAt(result, 'proposal.persons[1].laboratory.country').code).toBe('required');
    expect(errorAt(result, 'proposal.labcontacts[0].cardName').code).toBe('required');
    expect(errorAt(result, 'proposal.labcontacts[1].dewarAvgCustomsValue')).toMatchObject({
      code: 'invalid_type',
      message: 'null cannot be stored: the column LabContact.dewarAvgCustomsValue is NOT NULL',
    });
  });

  it('reports a root that is not an object', () => {
    expect(errorsOf(parseSyncProposal([]))).toEqual([
      { path: '', code: 'invalid_type', message: 'expected an object, got array' },
    ]);
  });
});

describe('rule 3: lengths, charsets, enums', () => {
  it('gives the limit and the actual length', () => {
    const input = create();
    input.sessions[1].persons[0].familyName = 'x'.repeat(112);
    expect(errorAt(parseSyncProposal(input), 'sessions[1].persons[0].familyName')).toEqual({
      path: 'sessions[1].persons[0].familyName',
      code: 'too_long',
      message: '112 characters, the column Person.familyName holds at most 100',
    });
  });

  it('counts characters, not UTF-16 units', () => {
    const input = create();
    input.proposal.title = '😀'.repeat(200); // 400 UTF-16 units, 200 characters: fits varchar(200) utf8mb4
    expect(parseSyncProposal(input).success).toBe(true);
  });

  it('refuses text outside latin1 in a latin1 column, naming the character', () => {
    const input = create();
    input.sessions[0].beamLineOperator = 'Kaye → Wiley';
    expect(errorAt(parseSyncProposal(input), 'sessions[0].beamLineOperator')).toMatchObject({
      code: 'not_latin1',
      message:
        'character "→" (U+2192) at position 6 cannot be stored in the latin1 column BLSession.beamLineOperator',
    });
  });

  it("accepts what MySQL's latin1 (cp1252) stores: accents, € and typographic quotes", () => {
    const input = create();
    input.sessions[0].sessionTitle = 'Études “à” 5 €';
    input.proposal.labcontacts[0].cardName = 'Café Ørsted';
    expect(parseSyncProposal(input).success).toBe(true);
  });

  it('refuses 4-byte characters in the utf8mb3 column Person.phoneNumber', () => {
    const input = create();
    input.proposal.persons[0].phoneNumber = '+49 📞';
    expect(errorAt(parseSyncProposal(input), 'proposal.persons[0].phoneNumber').code).toBe('not_utf8mb3');
  });

  it('checks enums: state, safetyLevel, role', () => {
    const input = create();
    input.proposal.state = 'open';
    input.proteins[0].safetyLevel = 'BLUE';
    input.sessions[0].persons[0].session_options.role = 'Visitor';
    const result = parseSyncProposal(input);
    expect(errorAt(result, 'proposal.state')).toMatchObject({
      code: 'invalid_enum',
      message: '"open" is not one of "Open", "Closed", "Cancelled" — did you mean "Open"?',
    });
    expect(errorAt(result, 'proteins[0].safetyLevel').code).toBe('invalid_enum');
    expect(errorAt(result, 'sessions[0].persons[0].session_options.role').message).toMatch(
      /^"Visitor" is not one of "Local Contact", .*"Alternate Contact"$/,
    );
  });
});

describe('rule 4: unknown keys', () => {
  it('refuses them with the closest known key', () => {
    const input = create();
    input.sessions[1].beamlineOperator = 'x';
    expect(errorAt(parseSyncProposal(input), 'sessions[1].beamlineOperator')).toEqual({
      path: 'sessions[1].beamlineOperator',
      code: 'unknown_key',
      message: 'unknown field "beamlineOperator" — did you mean "beamLineOperator"?',
    });
  });

  it('suggests across typos and lists fields when nothing is close', () => {
    const input = create();
    input.proposal.persons[0].familyNmae = 'x';
    input.proposal.zzz = 1;
    input.proposal.persons[0].session_options = {};
    const result = parseSyncProposal(input);
    expect(errorAt(result, 'proposal.persons[0].familyNmae').message).toContain('did you mean "familyName"?');
    expect(errorAt(result, 'proposal.zzz').message).toContain('known fields: proposalCode');
    expect(errorAt(result, 'proposal.persons[0].session_options').message).toContain(
      'only accepted on sessions',
    );
  });

  it('names Object.prototype keys like any other unknown key', () => {
    const input = create();
    input.proposal.toString = 'x';
    input.proposal.persons[0].constructor = 'y';
    const result = parseSyncProposal(input);
    for (const path of ['proposal.toString', 'proposal.persons[0].constructor']) {
      expect(errorAt(result, path).code).toBe('unknown_key');
      expect(errorAt(result, path).message).not.toMatch(/native code|function/);
    }
  });

  it("strips them with a warning under unknownKeys: 'strip'", () => {
    const input = create();
    input.sessions[1].beamlineOperator = 'x';
    const result = parseSyncProposal(input, { unknownKeys: 'strip' });
    const data = dataOf(result);
    expect('beamlineOperator' in data.sessions![1]!).toBe(false);
    expect(result.success && result.warnings).toEqual([
      {
        path: 'sessions[1].beamlineOperator',
        code: 'unknown_key_stripped',
        message: 'unknown field "beamlineOperator" — did you mean "beamLineOperator"?',
      },
    ]);
  });
});

describe('rule 5: numbers', () => {
  it('accepts numeric strings for integers and numbers for strings', () => {
    const input = create();
    input.proposal.proposalNumber = 3456;
    input.sessions[0].nbShifts = '42';
    input.sessions[0].operatorSiteNumber = 234;
    const data = dataOf(parseSyncProposal(input));
    expect(data.proposal.proposalNumber).toBe('3456');
    expect(data.sessions![0]!.nbShifts).toBe(42);
    expect(data.sessions![0]!.operatorSiteNumber).toBe('234');
  });

  it('refuses lossy conversions, garbage and out-of-range values', () => {
    const input = create();
    input.sessions[0].nbShifts = 1.5;
    input.sessions[1].nbShifts = '1.5';
    input.sessions[0].visit_number = 'abc';
    input.sessions[1].visit_number = -1;
    input.proteins[0].hazardGroup = 256;
    const result = parseSyncProposal(input);
    expect(errorAt(result, 'sessions[0].nbShifts')).toMatchObject({
      code: 'lossy_number',
      message: '1.5 is not an integer: storing it would lose its fractional part',
    });
    expect(errorAt(result, 'sessions[1].nbShifts').code).toBe('lossy_number');
    expect(errorAt(result, 'sessions[0].visit_number').code).toBe('invalid_type');
    expect(errorAt(result, 'sessions[1].visit_number')).toMatchObject({
      code: 'out_of_range',
      message: '-1 is out of range: the int(10) unsigned column holds 0 to 4294967295',
    });
    expect(errorAt(result, 'proteins[0].hazardGroup').message).toContain('0 to 255');
  });
});

describe('rule 6: externalId', () => {
  it('refuses a negative externalId with the reason', () => {
    const input = create();
    input.proteins[0].externalId = -5;
    expect(errorAt(parseSyncProposal(input), 'proteins[0].externalId')).toMatchObject({
      code: 'invalid_external_id',
      message: '-5 is negative',
    });
  });

  it('refuses 2^128 and malformed UUIDs', () => {
    const input = create();
    input.proposal.externalId = (1n << 128n).toString();
    input.sessions[0].externalId = 'abcd-1234';
    const result = parseSyncProposal(input);
    expect(errorAt(result, 'proposal.externalId').message).toContain('2^128 or more');
    expect(errorAt(result, 'sessions[0].externalId').message).toContain('neither a non-negative integer');
  });
});

describe('rule 7: datetimes', () => {
  it('converts offsets to the facility time zone and takes local times as they are', () => {
    const input = create();
    input.sessions[0].startDate = '2022-05-20T14:09:20+02:00';
    input.sessions[0].endDate = '2022-05-21 08:00:00';
    const data = dataOf(parseSyncProposal(input, { timeZone: 'Europe/Paris' }));
    expect(data.sessions![0]!.startDate).toBe('2022-05-20 14:09:20');
    expect(data.sessions![0]!.endDate).toBe('2022-05-21 08:00:00');
  });

  it('refuses impossible dates and non-ISO text', () => {
    const input = create();
    input.sessions[0].startDate = '2022-02-30T10:00:00Z';
    input.sessions[0].endDate = '20/05/2022';
    const result = parseSyncProposal(input);
    expect(errorAt(result, 'sessions[0].startDate')).toMatchObject({
      code: 'invalid_datetime',
      message: '"2022-02-30T10:00:00Z": there is no such date',
    });
    expect(errorAt(result, 'sessions[0].endDate').code).toBe('invalid_datetime');
  });
});

describe('rule 8: one person in several places', () => {
  it('refuses two different values for one field, naming both paths', () => {
    const input = create();
    input.proteins[1].person.familyName = 'Weever';
    expect(errorAt(parseSyncProposal(input), 'proteins[1].person.familyName')).toEqual({
      path: 'proteins[1].person.familyName',
      code: 'person_conflict',
      message:
        'the same person has two values for familyName: "Weaver" at proposal.persons[0].familyName and "Weever" at proteins[1].person.familyName',
    });
  });
});

describe('rule 9: passwords', () => {
  it('refuses a non-null passwd and says why', () => {
    const input = create();
    input.proposal.labcontacts[1].person.passwd = 'hunter2';
    const e = errorAt(parseSyncProposal(input), 'proposal.labcontacts[1].person.passwd');
    expect(e.code).toBe('password_refused');
    expect(e.message).toMatch(/must not push passwords/);
    expect(e.message).not.toContain('hunter2');
  });
});
