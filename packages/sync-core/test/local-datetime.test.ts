import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProposal, syncProposal, type UpsyncOrm } from '../src/index.js';
import { example, openTarget, sql, TARGETS } from './support/targets.js';

// ISPyB's DATETIME columns hold the facility's wall-clock time. MikroORM 7 converts datetimes to
// and from UTC by default (forceUtcTimezone); createOrm turns that off, and the entities map these
// columns as strings: a session's dates must reach the database, and come back, exactly as sent,
// whatever the zone of the process that syncs.
describe.each(TARGETS)('local wall-clock datetimes on $dialect', (target) => {
  let orm: UpsyncOrm;
  let close: () => Promise<void>;
  const processZone = process.env.TZ;
  beforeAll(async () => {
    // a process zone far from both UTC and the facility's: any conversion would show
    process.env.TZ = 'America/Sao_Paulo';
    if (target.skip) return;
    ({ orm, close } = await openTarget(target, 'local_datetime', 'Europe/Berlin'));
  });
  afterAll(async () => {
    if (processZone === undefined) delete process.env.TZ;
    else process.env.TZ = processZone;
    await close?.();
  });

  it.skipIf(target.skip)("a session's startDate is stored and read back exactly as sent", async () => {
    const payload = example('pyispyb-create');
    payload.sessions[0].startDate = '2022-05-20 14:09:20';
    payload.sessions[0].endDate = '2022-05-21T23:30:00';
    await syncProposal(orm, payload);

    const stored = await sql<{ startDate: unknown; endDate: unknown }>(
      orm,
      'SELECT startDate, endDate FROM BLSession WHERE externalId IS NOT NULL',
    );
    expect(stored.map((r) => [String(r.startDate), String(r.endDate)])).toEqual([
      ['2022-05-20 14:09:20', '2022-05-21 23:30:00'],
    ]);
    const snapshot = await readProposal(orm, 'I', '20140076');
    expect(snapshot?.sessions.map((s) => [s.startDate, s.endDate])).toContainEqual([
      '2022-05-20 14:09:20',
      '2022-05-21 23:30:00',
    ]);

    // and an unchanged re-sync compares equal: nothing is rewritten
    const again = await syncProposal(orm, payload);
    expect(again.summary.sessions).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });
});
