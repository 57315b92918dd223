import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncProposal, type UpsyncOrm } from '../src/index.js';
import { countStatements } from '../src/testing/index.js';
import { example, openTarget, sql, TARGETS } from './support/targets.js';

describe.each(TARGETS)('py-ISPyB examples on $dialect', (target) => {
  let orm: UpsyncOrm;
  let close: () => Promise<void>;
  beforeAll(async () => {
    if (target.skip) return;
    ({ orm, close } = await openTarget(target, 'examples'));
  });
  afterAll(async () => close?.());

  it.skipIf(target.skip)('creates what a DBA expects from pyispyb-create.json', async () => {
    const { result, counts } = await countStatements(orm, () => syncProposal(orm, example('pyispyb-create')));
    console.log(
      `[${target.dialect}] new proposal: ${counts.total} statements in ${counts.roundTrips} round trips`,
      counts.statements.map((s) => s.slice(0, 90)),
    );
    expect(counts.total).toBeLessThanOrEqual(25);
    // one set look-up per entity kind (eight, in one round trip on MariaDB; the proposal's in two:
    // by code and number, by externalId), one INSERT per kind (multi-row; on SQLite one per set of
    // columns given: no DEFAULT keyword), one transaction
    expect(counts.select).toBeLessThanOrEqual(9);
    if (target.dialect === 'mysql')
      expect(counts.roundTrips).toBe(counts.total - counts.select - counts.lock + 1);
    if (target.dialect === 'mysql') expect(counts.insert).toBe(8);
    else expect(counts.insert).toBeLessThanOrEqual(16);
    expect(counts.update + counts.delete).toBe(0);
    expect(counts.transaction).toBe(2);
    expect(result.summary.proposal.created).toBe(1);
    const proposals = await sql(
      orm,
      'SELECT proposalId, personId, title, proposalCode, proposalNumber, proposalType FROM Proposal',
    );
    expect(proposals).toHaveLength(1);
    const persons = await sql<{ personId: number; login: string; laboratoryId: number | null }>(
      orm,
      'SELECT personId, login, laboratoryId, givenName, familyName, emailAddress FROM Person ORDER BY personId',
    );
    expect(persons.map((p) => p.login).sort()).toEqual([
      'aewaver',
      'jbernal',
      'kchambers',
      'mlingle',
      'sgross',
      'squinlan',
    ]);
    const byLogin = new Map(persons.map((p) => [p.login, p]));
    expect(proposals[0]!.personId).toBe(byLogin.get('aewaver')!.personId);
    const php = await sql<{ personId: number }>(
      orm,
      'SELECT personId FROM ProposalHasPerson ORDER BY personId',
    );
    expect(php.map((r) => r.personId)).toEqual(
      ['aewaver', 'kchambers', 'squinlan'].map((l) => byLogin.get(l)!.personId),
    );
    const labs = await sql<{ laboratoryId: number; name: string; laboratoryExtPk: number | null }>(
      orm,
      'SELECT laboratoryId, name, city, country, laboratoryExtPk FROM Laboratory ORDER BY laboratoryId',
    );
    expect(labs.map((l) => l.name).sort()).toEqual(['DESY', 'Lab0', 'MAXIV']);
    const desy = labs.find((l) => l.name === 'DESY')!;
    expect(byLogin.get('aewaver')!.laboratoryId).toBe(desy.laboratoryId);
    expect(byLogin.get('sgross')!.laboratoryId).toBe(desy.laboratoryId);
    expect(byLogin.get('squinlan')!.laboratoryId).toBeNull();
    const cards = await sql<{ cardName: string; personId: number }>(
      orm,
      'SELECT cardName, personId FROM LabContact ORDER BY cardName',
    );
    expect(cards).toEqual([
      { cardName: 'DESY - Amity Weaver', personId: byLogin.get('aewaver')!.personId },
      { cardName: 'MAXIV - Michael Lingle', personId: byLogin.get('mlingle')!.personId },
    ]);
    const sessions = await sql<Record<string, unknown>>(
      orm,
      'SELECT sessionId, expSessionPk, startDate, endDate, beamLineName, comments, lastUpdate, usedFlag FROM BLSession ORDER BY sessionId',
    );
    expect(sessions).toHaveLength(2);
    // 2022-05-20T14:09:20.340Z in Europe/Berlin (summer time)
    expect(sessions[0]!.startDate).toBe('2022-05-20 16:09:20');
    expect(sessions[1]!.expSessionPk).toBe(23459);
    expect(sessions[0]!.comments).toBe('Testing a session import');
    for (const s of sessions) expect(String(s.lastUpdate)).not.toMatch(/^0000/);
    const shp = await sql<{ sessionId: number; personId: number; role: string; remote: number }>(
      orm,
      'SELECT sessionId, personId, role, remote FROM Session_has_Person ORDER BY sessionId, personId',
    );
    expect(shp).toHaveLength(4);
    expect(
      shp.filter((r) => r.personId === byLogin.get('jbernal')!.personId).map((r) => [r.role, r.remote]),
    ).toEqual([
      ['Principal Investigator', 1],
      ['Principal Investigator', 1],
    ]);
    expect(
      shp.filter((r) => r.personId === byLogin.get('sgross')!.personId).map((r) => [r.role, r.remote]),
    ).toEqual([
      ['Local Contact', 0],
      ['Local Contact', 0],
    ]);
    const proteins = await sql<{ acronym: string; personId: number; name: string }>(
      orm,
      'SELECT acronym, personId, name FROM Protein ORDER BY acronym',
    );
    expect(proteins.map((p) => [p.acronym, p.personId])).toEqual([
      ['DTT5', byLogin.get('aewaver')!.personId],
      ['P4R2', byLogin.get('aewaver')!.personId],
    ]);
  });

  it.skipIf(target.skip)(
    're-syncing the same payload writes nothing and reports every entity unchanged',
    async () => {
      const { result, counts } = await countStatements(orm, () =>
        syncProposal(orm, example('pyispyb-create')),
      );
      console.log(
        `[${target.dialect}] unchanged re-sync: ${counts.total} statements in ${counts.roundTrips} round trips`,
      );
      // one set look-up per entity kind (the proposal's in two), nothing written: the unit of work
      // found no change
      expect(counts.select).toBeLessThanOrEqual(9);
      expect(counts.insert + counts.update + counts.delete).toBe(0);
      expect(counts.ispybWrites).toBe(0);
      for (const [kind, c] of Object.entries(result.summary)) {
        expect({ kind, changed: c.created + c.updated + c.deleted }).toEqual({ kind, changed: 0 });
      }
    },
  );

  it.skipIf(target.skip)(
    'applies pyispyb-update.json: title, e-mail, beamline, Kirk relinked, Lab0 not renamed',
    async () => {
      const before = await sql<{ laboratoryId: number; name: string }>(
        orm,
        "SELECT laboratoryId, name FROM Laboratory WHERE name = 'Lab0'",
      );
      const result = await syncProposal(orm, example('pyispyb-update'));
      expect(result.summary.proposal.updated).toBe(1);
      const [proposal] = await sql<{ title: string }>(orm, 'SELECT title FROM Proposal');
      expect(proposal!.title).toBe('Proposal title updated');
      expect(await sql(orm, "SELECT emailAddress FROM Person WHERE login = 'aewaver'")).toEqual([
        { emailAddress: 'aewaver@test.test' },
      ]);
      const lab0 = await sql<{ laboratoryId: number; name: string }>(
        orm,
        'SELECT laboratoryId, name FROM Laboratory WHERE laboratoryId = ?',
        [before[0]!.laboratoryId],
      );
      expect(lab0[0]!.name).toBe('Lab0');
      const [kirk] = await sql<{ name: string }>(
        orm,
        "SELECT l.name FROM Person p JOIN Laboratory l ON l.laboratoryId = p.laboratoryId WHERE p.login = 'kchambers'",
      );
      expect(kirk!.name).toBe('ESRF');
      const [sherri] = await sql<{ name: string }>(
        orm,
        "SELECT l.name FROM Person p JOIN Laboratory l ON l.laboratoryId = p.laboratoryId WHERE p.login = 'squinlan'",
      );
      expect(sherri!.name).toBe('ALBA');
      const beamlines = await sql<{ beamLineName: string }>(
        orm,
        'SELECT beamLineName FROM BLSession ORDER BY sessionId',
      );
      expect(beamlines.map((b) => b.beamLineName)).toEqual(['ID23-1', 'P11']);
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Proposal')).toEqual([{ n: 1 }]);
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM ProposalHasPerson')).toEqual([{ n: 3 }]);
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Person')).toEqual([{ n: 6 }]);
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM LabContact')).toEqual([{ n: 2 }]);
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Protein')).toEqual([{ n: 2 }]);
      const session = result.entities.sessions.find((s) => s.key.externalId === 23458)!;
      expect(session.outcome).toBe('updated');
      expect(session.changedFields).toEqual(['beamLineName']);
    },
  );
});
