import { describe, expect, it } from 'vitest';
import { parseSyncProposal } from '../src/index.js';
import { dataOf, errorsOf } from './helpers.js';

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
