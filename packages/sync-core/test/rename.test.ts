import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncProposal, type UpsyncOrm } from '../src/index.js';
import { countStatements } from '../src/testing/index.js';
import { example, openTarget, sql, TARGETS } from './support/targets.js';

const CHILD_TABLES = ['ProposalHasPerson', 'LabContact', 'Protein', 'BLSession', 'Session_has_Person'];

async function childCounts(orm: UpsyncOrm): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of CHILD_TABLES) {
    const [row] = await sql<{ n: number }>(orm, `SELECT COUNT(*) AS n FROM \`${table}\``);
    out[table] = Number(row!.n);
  }
  return out;
}

// The first round trip reads the children of the proposals with the payload's code and number;
// a proposal found by externalId under another code and number needs its own look-up.
describe.each(TARGETS)('a proposal renamed in the User Portal on $dialect', (target) => {
  let orm: UpsyncOrm;
  let close: () => Promise<void>;
  beforeAll(async () => {
    if (target.skip) return;
    ({ orm, close } = await openTarget(target, 'rename'));
    await syncProposal(orm, example('pyispyb-create'));
  });
  afterAll(async () => close?.());

  it.skipIf(target.skip)('keeps its rows: only the code and number change', async () => {
    const before = await childCounts(orm);
    const payload = example('pyispyb-create');
    payload.proposal.proposalNumber = '20140077';
    const { result, counts } = await countStatements(orm, () => syncProposal(orm, payload));
    expect(result.entities.proposal[0]).toMatchObject({
      outcome: 'updated',
      changedFields: ['proposalNumber'],
    });
    for (const [kind, c] of Object.entries(result.summary)) {
      if (kind === 'proposal') continue;
      expect({ kind, changed: c.created + c.updated + c.deleted }).toEqual({ kind, changed: 0 });
    }
    expect(await childCounts(orm)).toEqual(before);
    const proposals = await sql<{ proposalNumber: string }>(orm, 'SELECT proposalNumber FROM Proposal');
    expect(proposals.map((p) => p.proposalNumber)).toEqual(['20140077']);
    // the one UPDATE of the renamed proposal: its children were found and left as they are
    expect(counts.update + counts.insert + counts.delete).toBe(1);
  });

  it.skipIf(target.skip)(
    'a session found by externalId in another proposal keeps its participants, not duplicated',
    async () => {
      const [session] = await sql<{ sessionId: number }>(
        orm,
        'SELECT sessionId FROM BLSession ORDER BY sessionId',
      );
      const before = await childCounts(orm);
      const other = example('pyispyb-create');
      other.proposal.proposalNumber = 'OTHER-1';
      other.proposal.externalId = 777_777;
      delete other.proteins;
      other.sessions = other.sessions.slice(0, 1);
      const result = await syncProposal(orm, other);
      expect(result.entities.sessions[0]).toMatchObject({ id: session!.sessionId, outcome: 'unchanged' });
      expect(result.summary.sessionParticipants).toMatchObject({ created: 0, updated: 0 });
      const after = await childCounts(orm);
      expect(after.Session_has_Person).toBe(before.Session_has_Person);
      expect(after.BLSession).toBe(before.BLSession);
    },
  );
});
