import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import {
  createProposalSnapshotSchemas,
  snapshotToPayload,
  splitProposalKey,
  type TProposalSnapshot,
  type TSyncProposalInput,
  type TSyncRunQuery,
  ZProposalSnapshot,
  ZSyncRunQuery,
} from '../src/index.js';

const snapshot: TProposalSnapshot = {
  proposal: {
    proposalId: 7,
    proposalCode: 'MX',
    proposalNumber: '3456',
    title: 'T',
    state: 'Open',
    externalId: '42',
    persons: [
      {
        personId: 1,
        login: 'pi',
        laboratory: { laboratoryId: 3, name: 'ESRF', city: 'Grenoble', country: 'FR' },
      },
    ],
    labcontacts: [{ labContactId: 2, cardName: 'card', person: { personId: 1, login: 'pi' } }],
  },
  sessions: [
    {
      sessionId: 5,
      startDate: '2026-01-02 08:00:00',
      scheduled: 1,
      persons: [{ personId: 1, login: 'pi', session_options: { role: 'Staff', remote: 0 } }],
    },
  ],
  proteins: [{ proteinId: 9, acronym: 'LYS', person: { personId: 1, login: 'pi' } }],
};

describe('sync history and read-back shapes', () => {
  it('the history query: CODE-NUMBER, limit 1..200 (default 50), numeric strings from query strings', () => {
    expect(ZSyncRunQuery.parse({})).toEqual({ limit: 50 });
    expect(ZSyncRunQuery.parse({ proposal: 'MX-3456', limit: '10', outcome: 'failed' })).toEqual({
      proposal: 'MX-3456',
      limit: 10,
      outcome: 'failed',
    });
    expect(ZSyncRunQuery.safeParse({ limit: 201 }).success).toBe(false);
    expect(ZSyncRunQuery.safeParse({ proposal: 'MX3456' }).success).toBe(false);
    expectTypeOf<TSyncRunQuery['limit']>().toEqualTypeOf<number>();
  });

  it('splits proposal keys at the first dash (numbers may hold dashes)', () => {
    expect(splitProposalKey('MX-3456')).toEqual({ proposalCode: 'MX', proposalNumber: '3456' });
    expect(splitProposalKey('I-FAIL-1')).toEqual({ proposalCode: 'I', proposalNumber: 'FAIL-1' });
    expect(splitProposalKey('MX')).toBeNull();
  });

  it('a snapshot without its ids is a payload', () => {
    expect(ZProposalSnapshot.parse(snapshot)).toEqual(snapshot);
    const payload = snapshotToPayload(snapshot);
    expectTypeOf(payload).toEqualTypeOf<TSyncProposalInput>();
    expect(JSON.stringify(payload)).not.toMatch(
      /"(proposalId|personId|laboratoryId|labContactId|proteinId|sessionId)"/,
    );
    expect(payload.proposal.persons[0]).toEqual({
      login: 'pi',
      laboratory: { name: 'ESRF', city: 'Grenoble', country: 'FR' },
    });
  });

  it("the read-back's schema follows the live columns as the payload's does: a missing column's field is left out", () => {
    const live = createProposalSnapshotSchemas({
      limits: {
        Laboratory: { laboratoryExtPk: { present: false } },
        BLSession: { sessionTitle: { present: false } },
      },
    });
    const json = (schema: z.ZodType) => JSON.stringify(z.toJSONSchema(schema, { io: 'output' }));
    expect(json(live.proposalSnapshot)).not.toMatch(/"laboratoryExtPk"|"sessionTitle"/);
    expect(json(live.session)).toMatch(/"beamLineName"/);
    // the default is the official schema: every declared field
    expect(json(ZProposalSnapshot)).toMatch(/"laboratoryExtPk"/);
    expect(json(ZProposalSnapshot)).toMatch(/"sessionTitle"/);
    expect(live.proposalSnapshot.parse(snapshot)).toEqual(snapshot);
  });
});
