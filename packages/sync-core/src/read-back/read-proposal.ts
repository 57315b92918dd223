import type { SqlEntityManager } from '@mikro-orm/sql';
import type {
  TProposalSnapshot,
  TSnapshotLabContact,
  TSnapshotPerson,
  TSnapshotProtein,
  TSnapshotSession,
  TSnapshotSessionPerson,
} from '@upsync/schema';
import { q } from '../db/sql.js';
import { inTransaction } from '../db/transaction.js';
import { internalsOf, type UpsyncOrm } from '../orm/internals.js';
import type { LiveColumns } from '../orm/live-columns.js';
import {
  LAB_CONTACT_FIELDS,
  LABORATORY_FIELDS,
  PERSON_FIELDS,
  PROPOSAL_FIELDS,
  PROTEIN_FIELDS,
  SESSION_FIELDS,
  SESSION_OPTION_FIELDS,
} from './snapshot-fields.js';
import { pickFields, textValue } from './snapshot-values.js';

type Row = Record<string, unknown>;

/**
 * The read-back's queries, on the transaction's EntityManager: joins and unions that read
 * ISPyB's rows into the payload's shape in seven statements, not entities (nothing is written).
 * `live`: the columns each table has.
 */
interface Reader {
  select(sql: string, params: unknown[]): Promise<Row[]>;
  live: LiveColumns;
}

/** The columns of `fields` that the live table has. */
function present(db: Reader, table: string, fields: object): string[] {
  return Object.keys(fields).filter((c) => db.live.get(table)?.has(c) ?? false);
}

/** `t.a, t.b` of the columns of `fields` (plus `extra`) that the live table has. */
function columns(db: Reader, table: string, alias: string, fields: object, extra: string[] = []): string {
  return [...extra, ...present(db, table, fields)].map((c) => `${alias}.${q(c)}`).join(', ');
}

/**
 * The proposal as ISPyB holds it now, in the payload's shape with ISPyB ids, or null when there
 * is none. Seven statements whatever the proposal's size, in one REPEATABLE READ snapshot.
 * Duplicated proposal keys: the lowest proposalId (as the sync does).
 */
export async function readProposal(
  orm: UpsyncOrm,
  proposalCode: string,
  proposalNumber: string,
): Promise<TProposalSnapshot | null> {
  const db = (em: SqlEntityManager): Reader => ({
    select: (sql, params) => em.execute<Row[]>(sql, params, 'all'),
    live: internalsOf(orm).columns,
  });
  return inTransaction(orm, (em) => readWith(db(em), proposalCode, proposalNumber), {
    rollback: true,
    repeatableRead: true,
  });
}

async function readWith(db: Reader, code: string, number: string): Promise<TProposalSnapshot | null> {
  const [proposal] = await db.select(
    `SELECT ${columns(db, 'Proposal', 'p', PROPOSAL_FIELDS, ['proposalId', 'personId', 'proposalCode', 'proposalNumber'])} ` +
      'FROM `Proposal` p WHERE p.`proposalCode` = ? AND p.`proposalNumber` = ? ORDER BY p.`proposalId` LIMIT 1',
    [code, number],
  );
  if (!proposal) return null;
  const id = Number(proposal.proposalId);
  const persons = await readPersons(db, id, Number(proposal.personId));
  const person: PersonOf = (personId) => persons.get(Number(personId)) ?? null;

  const participantRows = await db.select(
    'SELECT `personId` FROM `ProposalHasPerson` WHERE `proposalId` = ? ORDER BY `proposalHasPersonId`',
    [id],
  );
  // the proposal's own person (Proposal.personId) first: the payload's first person is the PI
  const participantIds = [
    ...new Set([Number(proposal.personId), ...participantRows.map((r) => Number(r.personId))]),
  ].filter((pid) => persons.has(pid));
  const labcontacts = await readLabContacts(db, id, person);
  const proteins = await readProteins(db, id, person);
  return {
    proposal: {
      proposalId: id,
      proposalCode: textValue(proposal.proposalCode) ?? '',
      proposalNumber: textValue(proposal.proposalNumber) ?? '',
      ...pickFields(proposal, PROPOSAL_FIELDS, db.live.get('Proposal')),
      persons: participantIds.map((pid) => persons.get(pid)!),
      labcontacts,
    },
    sessions: await readSessions(db, id, person),
    proteins,
  } as TProposalSnapshot;
}

/** The person read for an ISPyB personId, or null. */
type PersonOf = (personId: unknown) => TSnapshotPerson | null;

async function readLabContacts(db: Reader, id: number, person: PersonOf): Promise<TSnapshotLabContact[]> {
  const rows = await db.select(
    `SELECT ${columns(db, 'LabContact', 'c', LAB_CONTACT_FIELDS, ['labContactId', 'personId', 'cardName'])} ` +
      'FROM `LabContact` c WHERE c.`proposalId` = ? ORDER BY c.`labContactId`',
    [id],
  );
  // a card whose person is not read (a dangling personId) is left out
  return rows
    .filter((row) => person(row.personId))
    .map((row) => ({
      labContactId: Number(row.labContactId),
      cardName: textValue(row.cardName) ?? '',
      person: person(row.personId)!,
      ...pickFields(row, LAB_CONTACT_FIELDS, db.live.get('LabContact')),
    }));
}

async function readProteins(db: Reader, id: number, person: PersonOf): Promise<TSnapshotProtein[]> {
  const rows = await db.select(
    `SELECT ${columns(db, 'Protein', 'r', PROTEIN_FIELDS, ['proteinId', 'personId', 'acronym'])} ` +
      'FROM `Protein` r WHERE r.`proposalId` = ? ORDER BY r.`proteinId`',
    [id],
  );
  return rows.map(
    (row): TSnapshotProtein => ({
      proteinId: Number(row.proteinId),
      acronym: textValue(row.acronym) ?? '',
      person: person(row.personId),
      ...pickFields(row, PROTEIN_FIELDS, db.live.get('Protein')),
    }),
  );
}

/** The proposal's sessions, each with its persons and their session options: two statements. */
async function readSessions(db: Reader, id: number, person: PersonOf): Promise<TSnapshotSession[]> {
  const sessions = await db.select(
    `SELECT ${columns(db, 'BLSession', 's', SESSION_FIELDS, ['sessionId'])} ` +
      'FROM `BLSession` s WHERE s.`proposalId` = ? ORDER BY s.`sessionId`',
    [id],
  );
  const sessionPersons = await db.select(
    `SELECT ${columns(db, 'Session_has_Person', 'h', SESSION_OPTION_FIELDS, ['sessionId', 'personId'])} ` +
      'FROM `Session_has_Person` h JOIN `BLSession` s ON s.`sessionId` = h.`sessionId` ' +
      'WHERE s.`proposalId` = ? ORDER BY h.`sessionId`, h.`personId`',
    [id],
  );
  const bySession = new Map<number, TSnapshotSessionPerson[]>();
  for (const row of sessionPersons) {
    const who = person(row.personId);
    if (!who) continue;
    const list = bySession.get(Number(row.sessionId)) ?? [];
    list.push({
      ...who,
      session_options: pickFields(row, SESSION_OPTION_FIELDS, db.live.get('Session_has_Person')),
    });
    bySession.set(Number(row.sessionId), list);
  }
  return sessions.map(
    (row): TSnapshotSession => ({
      sessionId: Number(row.sessionId),
      ...pickFields(row, SESSION_FIELDS, db.live.get('BLSession')),
      persons: bySession.get(Number(row.sessionId)) ?? [],
    }),
  );
}

/** Every person the proposal refers to (participants, PI, card holders, protein owners, session persons), with laboratories: one statement. */
async function readPersons(db: Reader, proposalId: number, piId: number) {
  const labColumns = present(db, 'Laboratory', LABORATORY_FIELDS).map((c) => `l.${q(c)} AS ${q(`lab_${c}`)}`);
  const sql =
    `SELECT ${columns(db, 'Person', 'p', PERSON_FIELDS, ['personId'])}, l.\`laboratoryId\` AS \`lab_laboratoryId\`` +
    `${labColumns.length ? `, ${labColumns.join(', ')}` : ''} ` +
    'FROM `Person` p LEFT JOIN `Laboratory` l ON l.`laboratoryId` = p.`laboratoryId` WHERE p.`personId` IN (' +
    'SELECT `personId` FROM `ProposalHasPerson` WHERE `proposalId` = ? ' +
    'UNION SELECT `personId` FROM `LabContact` WHERE `proposalId` = ? ' +
    'UNION SELECT `personId` FROM `Protein` WHERE `proposalId` = ? ' +
    'UNION SELECT h.`personId` FROM `Session_has_Person` h JOIN `BLSession` s ON s.`sessionId` = h.`sessionId` WHERE s.`proposalId` = ? ' +
    'UNION SELECT ?)';
  const rows = await db.select(sql, [proposalId, proposalId, proposalId, proposalId, piId]);
  const out = new Map<number, TSnapshotPerson>();
  for (const row of rows) out.set(Number(row.personId), toPerson(db, row));
  return out;
}

function toPerson(db: Reader, row: Row): TSnapshotPerson {
  return {
    personId: Number(row.personId),
    ...pickFields(row, PERSON_FIELDS, db.live.get('Person')),
    laboratory:
      row.lab_laboratoryId == null
        ? null
        : {
            laboratoryId: Number(row.lab_laboratoryId),
            ...pickFields(row, LABORATORY_FIELDS, db.live.get('Laboratory'), 'lab_'),
          },
  } as TSnapshotPerson;
}
