import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeExternalId, SyncError, syncProposal, type UpsyncOrm } from '../src/index.js';
import { openTarget, sql, TARGETS } from './support/targets.js';

const person = (n: number, extra: Record<string, unknown> = {}) => ({
  login: `user${n}`,
  externalId: 1000 + n,
  givenName: `Given${n}`,
  familyName: `Family${n}`,
  ...extra,
});

function payload(over: Record<string, any> = {}) {
  return {
    proposal: {
      proposalCode: 'MX',
      proposalNumber: '4242',
      externalId: 4242,
      title: 'T',
      persons: [person(1)],
      ...over.proposal,
    },
    ...(over.sessions ? { sessions: over.sessions } : {}),
    ...(over.proteins ? { proteins: over.proteins } : {}),
  };
}

const tables = [
  'Session_has_Person',
  'BLSession',
  'Protein',
  'LabContact',
  'ProposalHasPerson',
  'Proposal',
  'Person',
  'Laboratory',
];

describe.each(TARGETS)('key precedence on $dialect', (target) => {
  let orm: UpsyncOrm;
  let close: () => Promise<void>;
  beforeAll(async () => {
    if (target.skip) return;
    ({ orm, close } = await openTarget(target, 'keys'));
  });
  afterAll(async () => close?.());
  beforeEach(async () => {
    if (target.skip) return;
    for (const t of tables) await sql(orm, `DELETE FROM \`${t}\``);
  });

  it.skipIf(target.skip)(
    'adopts rows created without externalId (Java API) and back-fills them',
    async () => {
      await sql(orm, "INSERT INTO Person (login, familyName) VALUES ('user1', 'Old')");
      const [p] = await sql<{ personId: number }>(orm, 'SELECT personId FROM Person');
      await sql(
        orm,
        "INSERT INTO Proposal (personId, proposalCode, proposalNumber) VALUES (?, 'MX', '4242')",
        [p!.personId],
      );
      const [prop] = await sql<{ proposalId: number }>(orm, 'SELECT proposalId FROM Proposal');
      await sql(
        orm,
        "INSERT INTO BLSession (proposalId, expSessionPk, lastUpdate) VALUES (?, 77, '2024-01-01 00:00:00')",
        [prop!.proposalId],
      );
      await sql(orm, "INSERT INTO Protein (proposalId, acronym, description) VALUES (?, 'LYS', 'kept')", [
        prop!.proposalId,
      ]);
      const result = await syncProposal(
        orm,
        payload({
          sessions: [{ externalId: 5077, expSessionPk: 77 }],
          proteins: [{ acronym: 'lys', externalId: 6001, person: person(1) }],
        }),
      );
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Person')).toEqual([{ n: 1 }]);
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Proposal')).toEqual([{ n: 1 }]);
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM BLSession')).toEqual([{ n: 1 }]);
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Protein')).toEqual([{ n: 1 }]);
      const [row] = await sql<{ externalId: Buffer }>(orm, 'SELECT externalId FROM Person');
      expect(Buffer.from(row!.externalId).equals(encodeExternalId(1001))).toBe(true);
      const [pr] = await sql<{ externalId: Buffer; acronym: string; description: string }>(
        orm,
        'SELECT externalId, acronym, description FROM Protein',
      );
      expect(Buffer.from(pr!.externalId).equals(encodeExternalId(6001))).toBe(true);
      expect([pr!.acronym, pr!.description]).toEqual(['LYS', 'kept']);
      const [s] = await sql<{ externalId: Buffer }>(orm, 'SELECT externalId FROM BLSession');
      expect(Buffer.from(s!.externalId).equals(encodeExternalId(5077))).toBe(true);
      expect(result.entities.persons[0]!.changedFields).toContain('externalId');
      expect(result.entities.proposal[0]!.outcome).toBe('updated');
    },
  );

  it.skipIf(target.skip)(
    'externalId row wins over the legacy-key row, with a warning naming both',
    async () => {
      await sql(orm, 'INSERT INTO Person (login, externalId) VALUES (?, ?)', [
        'someoneelse',
        encodeExternalId(1001),
      ]);
      await sql(orm, "INSERT INTO Person (login) VALUES ('user1')");
      const result = await syncProposal(orm, payload());
      const rows = await sql<{ personId: number; login: string }>(
        orm,
        'SELECT personId, login FROM Person ORDER BY personId',
      );
      expect(rows).toHaveLength(2);
      expect(result.entities.persons[0]!.id).toBe(rows[0]!.personId);
      expect(result.warnings.map((w) => w.code)).toContain('KEY_CONFLICT');
      expect(result.warnings.find((w) => w.code === 'KEY_CONFLICT')!.path).toBe('proposal.persons[0]');
    },
  );

  it.skipIf(target.skip)(
    'a legacy-key row that carries another externalId is refused as an identity conflict, not re-keyed',
    async () => {
      await sql(orm, 'INSERT INTO Person (login, externalId) VALUES (?, ?)', [
        'user1',
        encodeExternalId(999),
      ]);
      const before = await sql(orm, 'SELECT * FROM Person');
      const failure = await syncProposal(orm, payload()).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(SyncError);
      expect((failure as SyncError).code).toBe('IDENTITY_CONFLICT');
      expect((failure as SyncError).path).toBe('proposal.persons[0]');
      expect(await sql(orm, 'SELECT * FROM Person')).toEqual(before);
      expect(await sql(orm, 'SELECT * FROM Proposal')).toEqual([]);
    },
  );

  it.skipIf(target.skip)('duplicate rows in the database: lowest id and a warning', async () => {
    await sql(orm, "INSERT INTO Person (login) VALUES ('user1'), ('USER1')");
    const result = await syncProposal(orm, payload());
    const rows = await sql<{ personId: number }>(orm, 'SELECT personId FROM Person ORDER BY personId');
    expect(rows).toHaveLength(2);
    expect(result.entities.persons[0]!.id).toBe(rows[0]!.personId);
    expect(result.warnings.map((w) => w.code)).toContain('DUPLICATE_ROWS');
  });

  it.skipIf(target.skip)('persons with only an externalId stay distinct', async () => {
    const noLogin = (ext: number) => ({ externalId: ext, familyName: `F${ext}` });
    await syncProposal(orm, payload({ proposal: { persons: [noLogin(1), noLogin(2)] } }));
    await syncProposal(orm, payload({ proposal: { persons: [noLogin(1), noLogin(2), noLogin(3)] } }));
    expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Person')).toEqual([{ n: 3 }]);
  });

  it.skipIf(target.skip)('mx and MX are one proposal (database collation)', async () => {
    await syncProposal(orm, {
      proposal: { proposalCode: 'mx', proposalNumber: '4242', persons: [person(1)] },
    });
    const again = await syncProposal(orm, {
      proposal: { proposalCode: 'MX', proposalNumber: '4242', persons: [person(1)] },
    });
    expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Proposal')).toEqual([{ n: 1 }]);
    expect(again.entities.proposal[0]!.outcome).toBe('unchanged');
  });

  it.skipIf(target.skip)(
    'logins that differ only in case or accents are one person (database collation)',
    async () => {
      const persons = [
        { login: 'José', familyName: 'Ruiz' },
        { login: 'JOSE ', emailAddress: 'j@x' },
      ];
      const first = await syncProposal(orm, payload({ proposal: { persons } }));
      expect(await sql(orm, 'SELECT login, familyName, emailAddress FROM Person')).toEqual([
        { login: 'José', familyName: 'Ruiz', emailAddress: 'j@x' },
      ]);
      expect(first.entities.persons.map((p) => p.outcome)).toEqual(['created']);
      expect(await sql(orm, 'SELECT COUNT(*) AS n FROM ProposalHasPerson')).toEqual([{ n: 1 }]);
      const again = await syncProposal(orm, payload({ proposal: { persons } }));
      expect(again.entities.persons.map((p) => p.outcome)).toEqual(['unchanged']);
    },
  );

  it.skipIf(target.skip)(
    'a protein or session found by externalId in another proposal, taking a key held there, is reported',
    async () => {
      const other = { proposalCode: 'MX', proposalNumber: '5151', externalId: 5151 };
      await syncProposal(
        orm,
        payload({
          proposal: other,
          proteins: [
            { acronym: 'LYS', externalId: 100, person: person(1) },
            { acronym: 'BSA', person: person(1) },
          ],
          sessions: [{ expSessionPk: 1, externalId: 200 }, { expSessionPk: 2 }],
        }),
      );
      const ids = async (table: string, id: string) =>
        (await sql<Record<string, number>>(orm, `SELECT ${id} FROM ${table} ORDER BY ${id}`)).map(
          (r) => r[id],
        );
      const [lys, bsa] = await ids('Protein', 'proteinId');
      const [first, second] = await ids('BLSession', 'sessionId');
      const [home] = await sql<{ proposalId: number }>(
        orm,
        "SELECT proposalId FROM Proposal WHERE proposalNumber = '5151'",
      );
      const result = await syncProposal(
        orm,
        payload({
          proteins: [{ acronym: 'bsa', externalId: 100, person: person(1) }],
          sessions: [{ expSessionPk: 2, externalId: 200 }],
        }),
      );
      const conflicts = result.warnings.filter((w) => w.code === 'KEY_CONFLICT').map((w) => w.message);
      expect(conflicts).toEqual([
        `protein bsa: externalId matches Protein proteinId=${lys} of proposalId=${home!.proposalId}, where Protein proteinId=${bsa} already has this key; the externalId row wins`,
        `session 200: externalId matches BLSession sessionId=${first} of proposalId=${home!.proposalId}, where BLSession sessionId=${second} already has this key; the externalId row wins`,
      ]);
    },
  );
});
