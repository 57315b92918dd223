import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncProposal, type UpsyncOrm } from '../src/index.js';
import { openTarget, sql, TARGETS } from './support/targets.js';

const base = () => ({
  proposal: {
    proposalCode: 'PS',
    proposalNumber: '1',
    persons: [{ login: 'pat', familyName: 'Patch', phoneNumber: '+49 1', faxNumber: '+49 2' }],
  },
  sessions: [{ expSessionPk: 9, beamLineName: 'P11', comments: 'from portal', usedFlag: 1 }],
  proteins: [{ acronym: 'PR1', description: 'desc', sequence: 'MKV', person: { login: 'pat' } }],
});

describe.each(TARGETS)('patch semantics on $dialect', (target) => {
  let orm: UpsyncOrm;
  let close: () => Promise<void>;
  beforeAll(async () => {
    if (target.skip) return;
    ({ orm, close } = await openTarget(target, 'patch'));
    await syncProposal(orm, base());
  });
  afterAll(async () => close?.());

  it.skipIf(target.skip)(
    'absent fields are left untouched; comments are written only on create',
    async () => {
      await sql(orm, "UPDATE BLSession SET comments = 'edited by staff'");
      const payload = base();
      payload.proposal.persons = [
        { login: 'pat', familyName: 'Patch' } as (typeof payload.proposal.persons)[0],
      ];
      payload.sessions = [
        { expSessionPk: 9, beamLineName: 'P12', comments: 'portal again' } as (typeof payload.sessions)[0],
      ];
      payload.proteins = [{ acronym: 'PR1', person: { login: 'pat' } } as (typeof payload.proteins)[0]];
      await syncProposal(orm, payload);
      expect(await sql(orm, 'SELECT beamLineName, usedFlag, comments FROM BLSession')).toEqual([
        { beamLineName: 'P12', usedFlag: 1, comments: 'edited by staff' },
      ]);
      expect(await sql(orm, 'SELECT phoneNumber, faxNumber FROM Person')).toEqual([
        { phoneNumber: '+49 1', faxNumber: '+49 2' },
      ]);
      expect(await sql(orm, 'SELECT description, sequence FROM Protein')).toEqual([
        { description: 'desc', sequence: 'MKV' },
      ]);
    },
  );

  it.skipIf(target.skip)('explicit null clears a nullable column; lastUpdate stays set', async () => {
    const payload = base() as any;
    payload.proposal.persons[0].phoneNumber = null;
    payload.proteins[0].description = null;
    payload.sessions[0].usedFlag = null;
    await syncProposal(orm, payload);
    expect(await sql(orm, 'SELECT phoneNumber, faxNumber FROM Person')).toEqual([
      { phoneNumber: null, faxNumber: '+49 2' },
    ]);
    expect(await sql(orm, 'SELECT description FROM Protein')).toEqual([{ description: null }]);
    const [s] = await sql<{ usedFlag: unknown; lastUpdate: unknown }>(
      orm,
      'SELECT usedFlag, lastUpdate FROM BLSession',
    );
    expect(s!.usedFlag).toBeNull();
    expect(s!.lastUpdate).not.toBeNull();
    expect(String(s!.lastUpdate)).not.toMatch(/^0000/);
  });
});
