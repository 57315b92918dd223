import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncProposal, type UpsyncOrm } from '../src/index.js';
import { countStatements } from '../src/testing/index.js';
import { example, openTarget, sql, TARGETS } from './support/targets.js';

// New rows get their ids at flush (MikroORM's unit of work, INSERT … RETURNING on MariaDB) and
// later rows reference them: these tests read every link back from the database and compare it
// with the ids the result reports.
const MANY = 400; // more than MikroORM's batchSize (300): two multi-row INSERTs of persons

type R = Record<string, unknown>;

/** A proposal with `n` new persons, each at a laboratory of its own, in `sessions` sessions. */
function bigProposal(n: number, sessions: number): R {
  const person = (i: number) => ({
    login: `big${i}`,
    externalId: 900_000 + i,
    familyName: `Family${i}`,
    laboratory: { name: `BigLab${i}`, city: 'Grenoble', country: 'FR', laboratoryExtPk: 700_000 + i },
  });
  const persons = Array.from({ length: n }, (_, i) => person(i));
  return {
    proposal: {
      proposalCode: 'BIG',
      proposalNumber: String(n),
      title: 'many new rows',
      persons,
      labcontacts: [{ cardName: 'big card', person: person(n - 1) }],
    },
    sessions: Array.from({ length: sessions }, (_, s) => ({
      expSessionPk: 800_000 + s,
      startDate: '2026-01-01T08:00:00Z',
      endDate: '2026-01-02T08:00:00Z',
      beamLineName: 'ID30',
      persons: [person(s), person((s * 7) % n), person(n - 1 - s)],
    })),
    proteins: [{ acronym: 'BIGP', person: person(1) }],
  };
}

/**
 * Every reference the sync wrote, checked against the rows it names and against the result
 * (persons are told apart by login, laboratories by name, sessions by expSessionPk).
 */
async function expectLinked(orm: UpsyncOrm, payload: R, result: Awaited<ReturnType<typeof syncProposal>>) {
  const code = (payload.proposal as R).proposalCode;
  const number = (payload.proposal as R).proposalNumber;
  const [proposal] = await sql(
    orm,
    'SELECT proposalId, personId FROM Proposal WHERE proposalCode = ? AND proposalNumber = ?',
    [code, number],
  );
  expect(result.proposal.proposalId).toBe(Number(proposal!.proposalId));

  const persons = await sql(
    orm,
    'SELECT p.personId, p.login, l.laboratoryId, l.name FROM Person p LEFT JOIN Laboratory l ON l.laboratoryId = p.laboratoryId',
  );
  const byLogin = new Map(persons.map((p) => [String(p.login), p]));
  const payloadPersons = (payload.proposal as R).persons as R[];
  for (const p of payloadPersons) {
    const row = byLogin.get(String(p.login))!;
    expect(row, `person ${p.login}`).toBeDefined();
    const lab = p.laboratory as R | undefined;
    if (lab) expect(row.name, `laboratory of ${p.login}`).toBe(lab.name);
  }
  // the proposal's principal is its first person
  expect(Number(proposal!.personId)).toBe(Number(byLogin.get(String(payloadPersons[0]!.login))!.personId));

  // reported ids are the rows' ids
  const personIds = new Set(persons.map((p) => Number(p.personId)));
  for (const r of result.entities.persons) expect(personIds.has(r.id!), `person ${r.path}`).toBe(true);
  const labIds = new Set(persons.map((p) => Number(p.laboratoryId)));
  for (const r of result.entities.laboratories) expect(labIds.has(r.id!), `laboratory ${r.path}`).toBe(true);

  const php = await sql(
    orm,
    'SELECT proposalHasPersonId, personId FROM ProposalHasPerson WHERE proposalId = ?',
    [proposal!.proposalId],
  );
  expect(new Set(php.map((r) => Number(r.personId)))).toEqual(
    new Set(payloadPersons.map((p) => Number(byLogin.get(String(p.login))!.personId))),
  );
  expect(new Set(result.entities.proposalParticipants.map((r) => r.id))).toEqual(
    new Set(php.map((r) => Number(r.proposalHasPersonId))),
  );

  const sessions = await sql(orm, 'SELECT sessionId, expSessionPk FROM BLSession WHERE proposalId = ?', [
    proposal!.proposalId,
  ]);
  const sessionOf = new Map(sessions.map((s) => [Number(s.expSessionPk), Number(s.sessionId)]));
  const shp = await sql(
    orm,
    'SELECT sp.sessionId, sp.personId FROM Session_has_Person sp JOIN BLSession s ON s.sessionId = sp.sessionId WHERE s.proposalId = ?',
    [proposal!.proposalId],
  );
  const pairs = new Set(shp.map((r) => `${r.sessionId}:${r.personId}`));
  const wanted = new Set<string>();
  for (const s of (payload.sessions ?? []) as R[])
    for (const p of (s.persons ?? []) as R[])
      wanted.add(`${sessionOf.get(Number(s.expSessionPk))}:${byLogin.get(String(p.login))!.personId}`);
  expect(pairs).toEqual(wanted);
  for (const r of result.entities.sessionParticipants)
    expect(pairs.has(`${r.key.sessionId}:${r.key.personId}`), `session participant ${r.path}`).toBe(true);
  expect(new Set(result.entities.sessions.map((r) => r.id))).toEqual(new Set(sessionOf.values()));

  const cards = await sql(orm, 'SELECT labContactId, personId FROM LabContact WHERE proposalId = ?', [
    proposal!.proposalId,
  ]);
  expect(result.entities.labContacts.map((r) => r.id).sort()).toEqual(
    cards.map((c) => Number(c.labContactId)).sort(),
  );
  const proteins = await sql(orm, 'SELECT proteinId, acronym FROM Protein WHERE proposalId = ?', [
    proposal!.proposalId,
  ]);
  const proteinOf = new Map(proteins.map((p) => [String(p.acronym), Number(p.proteinId)]));
  for (const r of result.entities.proteins) expect(r.id, r.path).toBe(proteinOf.get(String(r.key.acronym)));
  // no provisional (negative) id is ever reported
  expect(JSON.stringify(result)).not.toMatch(/"(id|personId|sessionId|proposalId)":-\d/);
}

describe.each(TARGETS)('new rows and the rows that reference them, on $dialect', (target) => {
  let orm: UpsyncOrm;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (target.skip) return;
    ({ orm, close } = await openTarget(target, 'new_ids'));
  });
  afterAll(async () => close?.());

  it.skipIf(target.skip)('links every new row of the example to the rows it names', async () => {
    const payload = example('pyispyb-create');
    payload.sessions[0].expSessionPk = 23457; // so that the check can tell the sessions apart
    const result = await syncProposal(orm, payload);
    await expectLinked(orm, payload, result);
  });

  it.skipIf(target.skip)('relinks an existing person to a laboratory created in the same sync', async () => {
    const payload = example('pyispyb-create');
    const first = (payload.proposal.persons as R[])[2]!; // Sherri: no laboratory yet
    first.laboratory = { name: 'Brand new lab', city: 'Lund', country: 'SE', laboratoryExtPk: 4242 };
    const result = await syncProposal(orm, payload);
    expect(result.summary.laboratories.created).toBe(1);
    expect(result.summary.persons.updated).toBeGreaterThanOrEqual(1);
    const [row] = await sql(
      orm,
      'SELECT l.laboratoryId, l.name FROM Person p JOIN Laboratory l ON l.laboratoryId = p.laboratoryId WHERE p.login = ?',
      ['squinlan'],
    );
    expect(row!.name).toBe('Brand new lab');
    const reported = result.entities.laboratories.find((r) => r.outcome === 'created')!;
    expect(reported.id).toBe(Number(row!.laboratoryId));
  });

  it.skipIf(target.skip)(
    `${MANY} new persons at ${MANY} new laboratories: every row linked, in batched INSERTs`,
    async () => {
      const payload = bigProposal(MANY, 40);
      const { result, counts } = await countStatements(orm, () => syncProposal(orm, payload));
      expect(result.summary.persons.created).toBe(MANY);
      await expectLinked(orm, payload, result);
      // batchSize rows per INSERT: the ids of every chunk are the rows' own
      expect(counts.statements.filter((s) => /^insert into `Person`/i.test(s))).toHaveLength(2);
      // and a re-sync finds every row again
      const again = await syncProposal(orm, payload);
      expect(again.summary.persons).toMatchObject({ created: 0, updated: 0 });
      expect(again.summary.sessionParticipants).toMatchObject({ created: 0, updated: 0 });
    },
  );
});
