import { describe, expect, it } from 'vitest';
import { parseSyncProposal } from '../src/index.js';
import { dataOf, EXAMPLE_NAMES, example } from './helpers.js';

describe('the py-ISPyB example payloads', () => {
  it('finds the examples', () =>
    expect(EXAMPLE_NAMES).toEqual(expect.arrayContaining(['pyispyb-create', 'pyispyb-update'])));

  it.each(EXAMPLE_NAMES)('accepts %s unchanged, without warnings', (name) => {
    const input = example(name);
    const before = JSON.stringify(input);
    const result = parseSyncProposal(input);
    expect(dataOf(result)).toBeDefined();
    expect(result.success && result.warnings).toEqual([]);
    expect(JSON.stringify(input)).toBe(before); // the input is not mutated
  });

  it('normalises the create example', () => {
    const data = dataOf(parseSyncProposal(example('pyispyb-create')));
    expect(data.proposal.externalId).toBe('20140076');
    expect(data.proposal.proposalNumber).toBe('20140076');
    expect(data.proposal.persons[0]).toMatchObject({ externalId: '157', login: 'aewaver' });
    const [first, second] = data.sessions!;
    expect(first).toMatchObject({ externalId: '23458', startDate: '2022-05-20 14:09:20', scheduled: 1 });
    expect(second!.externalId).toBeUndefined();
    expect('externalId' in second!).toBe(false);
    expect(second!.expSessionPk).toBe(23459);
    expect(first!.persons![1]!.session_options).toEqual({ role: 'Principal Investigator', remote: 1 });
  });

  it('merges the protein owner given without externalId into Amity Weaver', () => {
    const data = dataOf(parseSyncProposal(example('pyispyb-create')));
    const owner = data.proteins![1]!.person;
    // Merged by login: carries the externalId and title given elsewhere.
    expect(owner).toMatchObject({ login: 'aewaver', externalId: '157', title: 'Dr.' });
    expect(owner).toEqual(data.proposal.persons[0]);
    expect(owner).not.toBe(data.proposal.persons[0]);
  });

  it('keeps session_options per occurrence while merging the person', () => {
    const input = example('pyispyb-create');
    input.sessions[1].persons[0].session_options = { role: 'Staff', remote: true };
    const data = dataOf(parseSyncProposal(input));
    expect(data.sessions![0]!.persons![0]!.session_options).toEqual({ role: 'Local Contact', remote: 0 });
    expect(data.sessions![1]!.persons![0]!.session_options).toEqual({ role: 'Staff', remote: 1 });
  });

  it('converts datetimes to the facility time zone', () => {
    const data = dataOf(parseSyncProposal(example('pyispyb-create'), { timeZone: 'Europe/Berlin' }));
    expect(data.sessions![0]!.startDate).toBe('2022-05-20 16:09:20');
  });
});
