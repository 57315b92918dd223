import { describe, expect, it } from 'vitest';
import { parseSyncProposal } from '../src/index.js';
import { dataOf, errorAt, errorsOf } from './helpers.js';

const person = (extra: object) => ({ givenName: 'Ann', ...extra });
const payload = (persons: object[], sessionPersons: object[] = []) => ({
  proposal: { proposalCode: 'MX', proposalNumber: '1', persons },
  sessions: [{ externalId: 1, persons: sessionPersons }],
});

describe('person merge', () => {
  it('merges by login case-insensitively, trailing spaces ignored, and fills fields from every occurrence', () => {
    const data = dataOf(
      parseSyncProposal(
        payload(
          [person({ login: 'ann', emailAddress: 'a@x' })],
          [{ login: 'ANN  ', externalId: 9, laboratory: { country: 'FR' }, session_options: { remote: 1 } }],
        ),
      ),
    );
    const merged = {
      givenName: 'Ann',
      login: 'ann',
      emailAddress: 'a@x',
      externalId: '9',
      laboratory: { country: 'FR' },
    };
    expect(data.proposal.persons[0]).toEqual(merged);
    expect(data.sessions![0]!.persons![0]).toEqual({ ...merged, session_options: { remote: 1 } });
  });

  it('joins identities transitively (externalId in one place, login in another)', () => {
    const data = dataOf(
      parseSyncProposal(
        payload(
          [person({ login: 'ann' }), { externalId: '0009', title: 'Dr.' }],
          [{ login: 'ann', externalId: 9 }],
        ),
      ),
    );
    expect(data.proposal.persons[1]).toEqual({
      externalId: '9',
      title: 'Dr.',
      givenName: 'Ann',
      login: 'ann',
    });
  });

  it('lets a value win over an explicit null, and keeps null when nobody gives a value', () => {
    const data = dataOf(
      parseSyncProposal(
        payload([person({ login: 'a', title: null, faxNumber: null })], [{ login: 'a', title: 'Dr.' }]),
      ),
    );
    expect(data.proposal.persons[0]).toMatchObject({ title: 'Dr.', faxNumber: null });
  });

  it('refuses two externalIds for one login', () => {
    const result = parseSyncProposal(
      payload([person({ login: 'a', externalId: 1 })], [{ login: 'a', externalId: 2 }]),
    );
    expect(errorAt(result, 'sessions[0].persons[0].externalId').message).toBe(
      'the same person has two values for externalId: "1" at proposal.persons[0].externalId and "2" at sessions[0].persons[0].externalId',
    );
  });

  it('merges laboratories field by field and reports conflicting ones', () => {
    const result = parseSyncProposal(
      payload(
        [person({ login: 'a', laboratory: { name: 'DESY', country: 'DE' } })],
        [{ login: 'a', laboratory: { name: 'ESRF', country: 'DE', city: 'X' } }],
      ),
    );
    expect(errorsOf(result)).toEqual([
      {
        path: 'sessions[0].persons[0].laboratory.name',
        code: 'person_conflict',
        message:
          'the same person has two values for name: "DESY" at proposal.persons[0].laboratory.name and "ESRF" at sessions[0].persons[0].laboratory.name',
      },
    ]);
  });

  it('merges logins that differ only in accents, as the collation does, and refuses contradictions', () => {
    const data = dataOf(
      parseSyncProposal(payload([person({ login: 'José' }), { login: 'jose', title: 'Dr.' }])),
    );
    expect(data.proposal.persons).toEqual([
      { givenName: 'Ann', login: 'José', title: 'Dr.' },
      { givenName: 'Ann', login: 'José', title: 'Dr.' },
    ]);
    const result = parseSyncProposal(
      payload([person({ login: 'José' }), { login: 'JOSE', givenName: 'Joe' }]),
    );
    expect(errorAt(result, 'proposal.persons[1].givenName').code).toBe('person_conflict');
  });

  it('does not merge different persons', () => {
    const data = dataOf(
      parseSyncProposal(payload([person({ login: 'a' }), { login: 'b', givenName: 'Bob' }])),
    );
    expect(data.proposal.persons.map((p) => p.givenName)).toEqual(['Ann', 'Bob']);
  });
});

describe('repeated proteins and sessions', () => {
  const base = { proposal: { proposalCode: 'MX', proposalNumber: '1', persons: [{ login: 'a' }] } };
  const protein = (acronym: string, externalId?: number) => ({
    acronym,
    person: { login: 'a' },
    ...(externalId === undefined ? {} : { externalId }),
  });

  it('refuses two proteins with one acronym (as the collation compares it) or one externalId, naming both', () => {
    const result = parseSyncProposal({
      ...base,
      proteins: [protein('Lys', 5), protein('LYS', 6), protein('Other', 5)],
    });
    expect(errorsOf(result)).toEqual([
      {
        path: 'proteins[2].externalId',
        code: 'duplicate_key',
        message: 'same externalId as proteins[0] ("5"): each protein of a payload needs its own',
      },
      {
        path: 'proteins[1].acronym',
        code: 'duplicate_key',
        message: 'same acronym as proteins[0] ("LYS"): each protein of a payload needs its own',
      },
    ]);
  });

  it('refuses two sessions with one expSessionPk or one externalId', () => {
    const result = parseSyncProposal({
      ...base,
      sessions: [{ expSessionPk: 7 }, { expSessionPk: 7, externalId: 1 }, { externalId: '0001' }],
    });
    expect(errorsOf(result).map((e) => [e.path, e.code])).toEqual([
      ['sessions[2].externalId', 'duplicate_key'],
      ['sessions[1].expSessionPk', 'duplicate_key'],
    ]);
  });

  it('accepts distinct keys', () => {
    dataOf(
      parseSyncProposal({
        ...base,
        proteins: [protein('A', 1), protein('B', 2)],
        sessions: [{ expSessionPk: 1 }, { expSessionPk: 2 }],
      }),
    );
  });
});
