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

  it('hands over one group per identity, with every occurrence, its path and the merged person', () => {
    const result = parseSyncProposal({
      proposal: {
        proposalCode: 'MX',
        proposalNumber: '1',
        persons: [person({ login: 'José' }), { login: 'bob' }],
        labcontacts: [
          { cardName: 'c', person: { externalId: 7, login: 'JOSE', laboratory: { country: 'FR' } } },
        ],
      },
      proteins: [{ acronym: 'P', person: { login: 'bob', title: 'Dr.' } }],
      sessions: [{ externalId: 1, persons: [{ externalId: '7', session_options: { remote: 1 } }] }],
    });
    if (!result.success) throw new Error(JSON.stringify(result.errors));
    const merged = { givenName: 'Ann', login: 'José', externalId: '7', laboratory: { country: 'FR' } };
    expect(result.persons.map((g) => ({ ...g, occurrences: g.occurrences.map((o) => o.path) }))).toEqual([
      {
        person: merged,
        externalId: '7',
        login: 'José',
        occurrences: ['proposal.persons[0]', 'proposal.labcontacts[0].person', 'sessions[0].persons[0]'],
      },
      {
        person: { login: 'bob', title: 'Dr.' },
        externalId: undefined,
        login: 'bob',
        occurrences: ['proposal.persons[1]', 'proteins[0].person'],
      },
    ]);
    // the occurrences are the objects of `data`: a session person keeps its own session_options
    const [ann] = result.persons;
    expect(ann!.occurrences[2]!.person).toBe(result.data.sessions![0]!.persons![0]);
    expect(ann!.occurrences[2]!.person).toEqual({ ...merged, session_options: { remote: 1 } });
    expect(ann!.occurrences[0]!.person).toBe(result.data.proposal.persons[0]);
  });
});
