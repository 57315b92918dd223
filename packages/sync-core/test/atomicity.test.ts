import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncError, syncProposal, type UpsyncOrm } from '../src/index.js';
import { countStatements } from '../src/testing/index.js';
import { dumpTables } from './support/dump.js';
import { example, openTarget, sql, TARGETS } from './support/targets.js';

describe.each(TARGETS)('atomicity and dry run on $dialect', (target) => {
  let orm: UpsyncOrm;
  let close: () => Promise<void>;
  beforeAll(async () => {
    if (target.skip) return;
    ({ orm, close } = await openTarget(target, 'atomic'));
    await syncProposal(orm, example('pyispyb-create'));
  });
  afterAll(async () => close?.());

  it.skipIf(target.skip)('a failure in the last step leaves every table byte-identical', async () => {
    const trigger =
      target.dialect === 'mysql'
        ? "CREATE TRIGGER inject_failure BEFORE INSERT ON Session_has_Person FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'"
        : "CREATE TRIGGER inject_failure BEFORE INSERT ON Session_has_Person BEGIN SELECT RAISE(ABORT, 'injected'); END";
    await sql(orm, trigger);
    const before = await dumpTables(orm);
    const payload = example('pyispyb-update');
    payload.proposal.persons.push({
      login: 'newbie',
      familyName: 'New',
      laboratory: { name: 'NEWLAB', city: 'X', country: 'DE' },
    });
    payload.sessions[0].persons.push({ login: 'newbie', session_options: { role: 'Staff' } });
    const error = await syncProposal(orm, payload).catch((e: unknown) => e);
    await sql(orm, 'DROP TRIGGER inject_failure');
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe('CONSTRAINT_VIOLATION');
    expect((error as SyncError).entity).toBe('sessionParticipants');
    expect((error as SyncError).message).not.toMatch(/INSERT|injected|Session_has_Person/);
    expect(await dumpTables(orm)).toBe(before);
  });

  it.skipIf(target.skip)(
    'a deferred UPDATE that fails in a later round trip is reported as its own entity and path',
    async () => {
      const trigger =
        target.dialect === 'mysql'
          ? "CREATE TRIGGER inject_failure BEFORE UPDATE ON Person FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'"
          : "CREATE TRIGGER inject_failure BEFORE UPDATE ON Person BEGIN SELECT RAISE(ABORT, 'injected'); END";
      await sql(orm, trigger);
      const before = await dumpTables(orm);
      const payload = example('pyispyb-create');
      payload.proposal.persons[1].emailAddress = 'changed@example.org';
      const error = await syncProposal(orm, payload).catch((e: unknown) => e);
      await sql(orm, 'DROP TRIGGER inject_failure');
      expect(error).toBeInstanceOf(SyncError);
      expect(error).toMatchObject({
        code: 'CONSTRAINT_VIOLATION',
        entity: 'persons',
        path: 'proposal.persons[1]',
      });
      expect(await dumpTables(orm)).toBe(before);
    },
  );

  it.skipIf(target.skip)('a failure among the kinds one flush writes names the failing one', async () => {
    const trigger =
      target.dialect === 'mysql'
        ? "CREATE TRIGGER inject_failure BEFORE INSERT ON Protein FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'"
        : "CREATE TRIGGER inject_failure BEFORE INSERT ON Protein BEGIN SELECT RAISE(ABORT, 'injected'); END";
    await sql(orm, trigger);
    const before = await dumpTables(orm);
    // a new proposal: its participants, cards, proteins and sessions are inserted together
    const payload = example('pyispyb-create');
    payload.proposal.proposalNumber = 'GROUP-1';
    payload.proposal.externalId = 990_001;
    payload.proteins.forEach((p: { externalId?: number }, i: number) => {
      p.externalId = 991_000 + i;
    });
    payload.sessions.forEach((s: { externalId?: number }, i: number) => {
      s.externalId = 992_000 + i;
    });
    const { result: error, counts } = await countStatements(orm, () =>
      syncProposal(orm, payload).catch((e: unknown) => e),
    );
    await sql(orm, 'DROP TRIGGER inject_failure');
    expect(error).toMatchObject({ code: 'CONSTRAINT_VIOLATION', entity: 'proteins', path: 'proteins' });
    // the flush stopped at the failing INSERT: nothing after it but ROLLBACK
    const failing = counts.statements.findIndex((s) => /^insert into `Protein`/i.test(s));
    expect(failing).toBeGreaterThan(0);
    expect(counts.statements.slice(failing + 1).map((s) => s.replace(/;$/, '').toUpperCase())).toEqual([
      'ROLLBACK',
    ]);
    expect(await dumpTables(orm)).toBe(before);
  });

  it.skipIf(target.skip)('a dry run reports what would change and writes nothing', async () => {
    const before = await dumpTables(orm);
    const { result } = await countStatements(orm, () =>
      syncProposal(orm, example('pyispyb-update'), { dryRun: true }),
    );
    expect(result.dryRun).toBe(true);
    expect(result.entities.proposal[0]!.outcome).toBe('updated');
    expect(result.entities.proposal[0]!.changedFields).toEqual(['title']);
    expect(result.summary.laboratories.created).toBe(2);
    expect(await dumpTables(orm)).toBe(before);
  });

  it.skipIf(target.skip)(
    'validation failures throw VALIDATION_FAILED with issues and write nothing',
    async () => {
      const error = await syncProposal(orm, {
        proposal: { proposalCode: 'X', proposalNumber: '1', persons: [] },
      }).catch((e) => e);
      expect(error).toBeInstanceOf(SyncError);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.issues.length).toBeGreaterThan(0);
    },
  );
});
