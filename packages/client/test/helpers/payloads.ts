import { randomInt } from 'node:crypto';
import type { TSyncProposalInput } from '@upsync/schema';

/** A prefix unique to this run, so generated proposals and persons never collide with older rows. */
export function runId(): string {
  return String(randomInt(100_000, 999_999));
}

/**
 * A valid proposal payload numbered `i`: a proposal with two persons (one with a laboratory),
 * a lab contact, a session with both persons and a protein.
 */
export function generatedPayload(
  run: string,
  i: number,
): TSyncProposalInput & { proposal: { proposalNumber: string } } {
  const pi = {
    login: `pi${run}_${i}`,
    externalId: Number(`${run}${String(i).padStart(4, '0')}`),
    givenName: 'Ada',
    familyName: `Lovelace${i}`,
    emailAddress: `pi${i}@example.org`,
    laboratory: { name: `Lab ${run}`, city: 'Grenoble', country: 'FR', address: '71 avenue des Martyrs' },
  };
  const coi = { login: `coi${run}_${i}`, givenName: 'Alan', familyName: `Turing${i}` };
  return {
    proposal: {
      proposalCode: 'CT',
      proposalNumber: `${run}${i}`,
      title: `Generated proposal ${i}`,
      proposalType: 'MX',
      state: 'Open',
      persons: [pi, coi],
      labcontacts: [{ cardName: `Lab ${run} - Ada Lovelace${i}`, person: pi }],
    },
    sessions: [
      {
        expSessionPk: Number(`${run}${i}`),
        startDate: '2026-03-01T08:00:00Z',
        endDate: '2026-03-02T08:00:00Z',
        beamLineName: 'ID30A-1',
        persons: [
          { ...pi, session_options: { role: 'Principal Investigator', remote: true } },
          { ...coi, session_options: { role: 'Co-Investigator' } },
        ],
      },
    ],
    proteins: [{ acronym: `P${i}`, name: `Protein ${i}`, person: pi }],
  };
}
