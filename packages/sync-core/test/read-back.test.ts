import { parseSyncProposal, snapshotToPayload, ZProposalSnapshot } from '@upsync/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeOrm, createOrm, readProposal, syncProposal, type UpsyncOrm } from '../src/index.js';
import {
  countStatements,
  createTestDatabase,
  createTestSqliteDatabase,
  type TestDatabase,
} from '../src/testing/index.js';
import { example, TARGETS } from './support/targets.js';

const TZ = 'Europe/Berlin';

/** Orders session persons like the read-back does (by ISPyB personId, i.e. creation order here). */
function normalised(payload: unknown) {
  const parsed = parseSyncProposal(payload, { timeZone: TZ });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.errors));
  return parsed.data;
}

describe.each(TARGETS)('read-back on $dialect', (target) => {
  let orm: UpsyncOrm;
  let db: TestDatabase;
  beforeAll(async () => {
    if (target.skip) return;
    db =
      target.dialect === 'mysql'
        ? await createTestDatabase('hist_read')
        : createTestSqliteDatabase('hist_read');
    orm = await createOrm({ databaseUrl: db.url, timeZone: TZ });
  });
  afterAll(async () => {
    if (orm) await closeOrm(orm);
    await db?.drop();
  });

  it.skipIf(target.skip)('is null for a proposal ISPyB does not hold', async () => {
    expect(await readProposal(orm, 'NO', '1')).toBeNull();
  });

  it.skipIf(target.skip)('gives back what was synced, in the payload shape, with ids', async () => {
    const sent = example('pyispyb-create');
    const result = await syncProposal(orm, sent);
    const { result: snapshot, counts } = await countStatements(orm, () => readProposal(orm, 'i', '20140076'));
    expect(counts.select).toBe(7);
    expect(ZProposalSnapshot.safeParse(snapshot).success).toBe(true);
    expect(snapshot?.proposal.proposalId).toBe(result.proposal.proposalId);
    const want = normalised(sent);
    for (const session of want.sessions ?? []) {
      // the read-back lists a session's persons in ISPyB order (personId)
      const ids = new Map(snapshot!.sessions.flatMap((s) => s.persons).map((p) => [p.login, p.personId]));
      session.persons?.sort((a, b) => (ids.get(a.login) ?? 0) - (ids.get(b.login) ?? 0));
    }
    expect(snapshot).toMatchObject(want);
    expect(snapshot?.proposal.externalId).toBe('20140076');
    expect(snapshot?.proposal.persons[0]).toMatchObject({ login: 'aewaver', externalId: '157' });
    expect(snapshot?.proposal.persons[0]?.personId).toBeGreaterThan(0);
    expect(snapshot?.proposal.persons[0]?.laboratory?.laboratoryId).toBeGreaterThan(0);
  });

  it.skipIf(target.skip)('re-syncing the read-back (ids stripped) changes nothing', async () => {
    const snapshot = await readProposal(orm, 'I', '20140076');
    const again = await syncProposal(orm, snapshotToPayload(snapshot!));
    for (const [kind, counts] of Object.entries(again.summary)) {
      expect({ kind, ...counts }).toMatchObject({ kind, created: 0, updated: 0, deleted: 0 });
    }
  });

  it.skipIf(target.skip)('keeps UUID externalIds as UUIDs and huge integers as integers', async () => {
    const uuid = '0b5e3f6a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
    const huge = '340282366920938463463374607431768211455'; // 2^128 - 1 shows as a UUID (leading bytes set)
    await syncProposal(orm, {
      proposal: {
        proposalCode: 'UU',
        proposalNumber: '1',
        externalId: uuid,
        persons: [{ login: 'uu', externalId: '79228162514264337593543950335' }],
      },
      sessions: [{ externalId: huge, beamLineName: 'ID30' }],
    });
    const snapshot = await readProposal(orm, 'UU', '1');
    expect(snapshot?.proposal.externalId).toBe(uuid);
    expect(snapshot?.proposal.persons[0]?.externalId).toBe('79228162514264337593543950335');
    expect(snapshot?.sessions[0]?.externalId).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
    const again = await syncProposal(orm, snapshotToPayload(snapshot!));
    expect(again.summary.sessions).toMatchObject({ created: 0, updated: 0 });
  });
});
