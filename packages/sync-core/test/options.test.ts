import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncProposal, type UpsyncOrm } from '../src/index.js';
import { openTarget, sql, TARGETS } from './support/targets.js';

const p = (login: string, extra: Record<string, unknown> = {}) => ({
  login,
  familyName: login.toUpperCase(),
  ...extra,
});

describe.each(TARGETS)('reconcile, lab contacts on $dialect', (target) => {
  let orm: UpsyncOrm;
  let close: () => Promise<void>;
  beforeAll(async () => {
    if (target.skip) return;
    ({ orm, close } = await openTarget(target, 'options'));
  });
  afterAll(async () => close?.());

  it.skipIf(target.skip)(
    'reconcile deletes only this proposal’s dropped participants; dry run reports them',
    async () => {
      const full = {
        proposal: { proposalCode: 'RC', proposalNumber: '1', persons: [p('a'), p('b'), p('c')] },
        sessions: [{ externalId: 77, persons: [p('a'), p('b')] }],
      };
      await syncProposal(orm, full);
      await syncProposal(orm, { proposal: { proposalCode: 'RC', proposalNumber: '2', persons: [p('b')] } });
      const dropped = {
        proposal: { proposalCode: 'RC', proposalNumber: '1', persons: [p('a'), p('c')] },
        sessions: [{ externalId: 77, persons: [p('a')] }],
      };
      const kept = await syncProposal(orm, dropped);
      expect(kept.summary.proposalParticipants.deleted).toBe(0);
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM ProposalHasPerson')).toEqual([{ n: 4 }]);
      const dry = await syncProposal(orm, dropped, { reconcile: true, dryRun: true });
      expect(dry.summary.proposalParticipants.deleted).toBe(1);
      expect(dry.summary.sessionParticipants.deleted).toBe(1);
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM ProposalHasPerson')).toEqual([{ n: 4 }]);
      await syncProposal(orm, dropped, { reconcile: true });
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM ProposalHasPerson')).toEqual([{ n: 3 }]);
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Session_has_Person')).toEqual([{ n: 1 }]);
    },
  );

  it.skipIf(target.skip)(
    'a person’s existing card is renamed instead of violating (personId, proposalId)',
    async () => {
      const base = { proposalCode: 'LC', proposalNumber: '1', persons: [p('card')] };
      await syncProposal(orm, {
        proposal: { ...base, labcontacts: [{ cardName: 'Old card', person: p('card') }] },
      });
      const r = await syncProposal(orm, {
        proposal: {
          ...base,
          labcontacts: [{ cardName: 'New card', person: p('card'), courierAccount: '42' }],
        },
      });
      expect(r.entities.labContacts[0]!.outcome).toBe('updated');
      expect(
        await sql(
          orm,
          "SELECT cardName, courierAccount FROM LabContact l JOIN Proposal p ON p.proposalId = l.proposalId WHERE p.proposalCode = 'LC'",
        ),
      ).toEqual([{ cardName: 'New card', courierAccount: '42' }]);
    },
  );

  it.skipIf(target.skip)(
    'labContactsFromPersons gives every proposal person a unique card cut to the column',
    async () => {
      const lab = { name: 'DESY', city: 'Hamburg', country: 'DE' };
      const long = 'Bartholomew-Maximilian';
      const persons = [
        { login: 'amity', givenName: 'Amity', familyName: 'Weaver', laboratory: lab },
        { login: 'l1', givenName: long, familyName: 'Featherstonehaugh', laboratory: lab },
        { login: 'l2', givenName: long, familyName: 'Featherstonehaughs', laboratory: lab },
      ];
      const r = await syncProposal(
        orm,
        { proposal: { proposalCode: 'LC', proposalNumber: '2', persons } },
        { labContactsFromPersons: true },
      );
      expect(r.summary.labContacts.created).toBe(3);
      const cards = (
        await sql<{ cardName: string }>(
          orm,
          "SELECT cardName FROM LabContact l JOIN Proposal p ON p.proposalId = l.proposalId WHERE p.proposalCode = 'LC' AND p.proposalNumber = '2' ORDER BY labContactId",
        )
      ).map((c) => c.cardName);
      expect(cards[0]).toBe('DESY - Amity Weaver');
      expect(new Set(cards).size).toBe(3);
      for (const c of cards) expect(c.length).toBeLessThanOrEqual(40);
      const again = await syncProposal(
        orm,
        { proposal: { proposalCode: 'LC', proposalNumber: '2', persons } },
        { labContactsFromPersons: true },
      );
      expect(again.summary.labContacts).toEqual({ created: 0, updated: 0, unchanged: 0, deleted: 0 });
    },
  );
});
