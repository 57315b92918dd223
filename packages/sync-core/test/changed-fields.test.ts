import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncProposal, type UpsyncOrm } from '../src/index.js';
import { example, openTarget, TARGETS } from './support/targets.js';

// changedFields names what the UPDATE wrote, nothing else: on SQLite the statement's RETURNING gives
// the primary key back, and it used to be reported as changed (`personId 1 → (blank)` in `upsync diff`).
describe.each(TARGETS)('changedFields of pyispyb-update.json on $dialect', (target) => {
  let orm: UpsyncOrm;
  let close: () => Promise<void>;
  beforeAll(async () => {
    if (target.skip) return;
    ({ orm, close } = await openTarget(target, 'changed_fields'));
    await syncProposal(orm, example('pyispyb-create'));
  });
  afterAll(async () => close?.());

  const pinned = {
    laboratories: [],
    persons: [
      ['proposal.persons[0]', ['emailAddress']],
      ['proposal.persons[1]', ['laboratory']],
      ['proposal.persons[2]', ['laboratory']],
      ['sessions[0].persons[1]', ['laboratory']],
    ],
    proposal: [['proposal', ['title']]],
    proposalParticipants: [],
    labContacts: [],
    proteins: [],
    sessions: [['sessions[0]', ['beamLineName']]],
    sessionParticipants: [],
  };

  it.skipIf(target.skip)(
    'lists exactly the written fields of each updated row, for the sync and its dry run',
    async () => {
      const updatedOf = (result: Awaited<ReturnType<typeof syncProposal>>) =>
        Object.fromEntries(
          Object.entries(result.entities).map(([kind, rows]) => [
            kind,
            rows.filter((r) => r.outcome === 'updated').map((r) => [r.path, r.changedFields]),
          ]),
        );
      const preview = await syncProposal(orm, example('pyispyb-update'), { dryRun: true });
      expect(updatedOf(preview)).toEqual(pinned);
      const result = await syncProposal(orm, example('pyispyb-update'));
      expect(updatedOf(result)).toEqual(pinned);
      for (const rows of Object.values(result.entities))
        for (const r of rows) expect(r.changedFields ?? []).not.toContain('personId');
    },
  );
});
