import { describe, expect, it } from 'vitest';
import { diffPayloads, ZSyncRunQuery, ZSyncStatsQuery } from '../src/index.js';

const payload = (proposal: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({
  proposal: {
    proposalCode: 'MX',
    proposalNumber: 3456,
    persons: [{ login: 'aweaver', externalId: 157, givenName: 'Amity', familyName: 'Weaver' }],
    ...proposal,
  },
  ...rest,
});

describe('diffPayloads (syncRunDiff: the lines upsync diff prints, between two payloads)', () => {
  it('reports changed fields with old and new values; a field the new payload omits is no change', () => {
    const from = payload({ title: 'Old', state: 'Open' });
    const to = payload({ title: 'New' });
    const diff = diffPayloads(from, to);
    expect(diff).toEqual({
      success: true,
      changes: [
        {
          kind: 'proposal',
          path: 'proposal',
          id: null,
          outcome: 'updated',
          field: 'title',
          current: 'Old',
          wanted: 'New',
        },
      ],
    });
  });

  it('matches rows by their keys after normalising (157 and "157" are one person), and lists created and removed rows', () => {
    const from = payload({}, { sessions: [{ externalId: 1, beamLineName: 'P11' }, { externalId: 2 }] });
    const to = payload(
      { persons: [{ login: 'AWEAVER', externalId: '157', givenName: 'Amity', familyName: 'Weaver' }] },
      { sessions: [{ externalId: 1, beamLineName: 'ID23-1' }, { externalId: 3 }] },
    );
    const diff = diffPayloads(from, to);
    if (!diff.success) throw new Error('expected a diff');
    expect(diff.changes).toEqual([
      // one person (matched by externalId) whose login's spelling changes: a write
      expect.objectContaining({ kind: 'persons', field: 'login', current: 'aweaver', wanted: 'AWEAVER' }),
      expect.objectContaining({
        kind: 'sessions',
        path: 'sessions[0]',
        field: 'beamLineName',
        current: 'P11',
        wanted: 'ID23-1',
      }),
      expect.objectContaining({
        kind: 'sessions',
        path: 'sessions[1]',
        outcome: 'created',
        wanted: { externalId: '3' },
      }),
      expect.objectContaining({
        kind: 'sessions',
        path: 'sessions[1]',
        outcome: 'deleted',
        current: { externalId: '2' },
      }),
    ]);
    expect(diffPayloads(to, to)).toEqual({ success: true, changes: [] });
  });

  it('says which side is not a valid payload', () => {
    const diff = diffPayloads(payload({}), { proposal: { proposalCode: 'MX' } });
    expect(diff).toMatchObject({ success: false, side: 'to' });
  });
});

describe('history query shapes', () => {
  it('syncRuns: outcome takes the recorded outcomes and the classes; from/to are instants with a zone', () => {
    for (const outcome of ['succeeded', 'failed', 'changed', 'unchanged', 'dryRun'])
      expect(ZSyncRunQuery.safeParse({ outcome }).success).toBe(true);
    expect(ZSyncRunQuery.safeParse({ from: '2026-12-06T06:00:00+01:00' }).success).toBe(true);
    expect(ZSyncRunQuery.safeParse({ from: '2026-12-06 06:00' }).success).toBe(false);
  });

  it('syncStats: a range or from/to, not both; to needs from', () => {
    expect(ZSyncStatsQuery.safeParse({}).success).toBe(true);
    expect(ZSyncStatsQuery.safeParse({ range: '7d' }).success).toBe(true);
    expect(
      ZSyncStatsQuery.safeParse({ range: '7d', from: '2026-12-06T00:00:00Z' }).error?.issues[0]?.path,
    ).toEqual(['range']);
    expect(ZSyncStatsQuery.safeParse({ to: '2026-12-06T00:00:00Z' }).error?.issues[0]?.path).toEqual([
      'from',
    ]);
  });
});
