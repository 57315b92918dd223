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

type Row = Record<string, unknown>;

/**
 * The read-back's queries, on the transaction's EntityManager: joins and unions that read
 * ISPyB's rows into the payload's shape in seven statements, not entities (nothing is written).
 */
interface Reader {
  select(sql: string, params: unknown[]): Promise<Row[]>;
  present(table: string, columns: string[]): string[];
  options: { columns: LiveColumns };
}

function readerOf(em: SqlEntityManager, columns: LiveColumns): Reader {
  return {
    select: (sql, params) => em.execute<Row[]>(sql, params, 'all'),
    present: (table, wanted) => wanted.filter((c) => columns.get(table)?.has(c) ?? false),
    options: { columns },
  };
}

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

/** `t.a, t.b` of the columns of `fields` (plus `extra`) that the live table has. */
function columns(db: Reader, table: string, alias: string, fields: object, extra: string[] = []): string {
  return [...extra, ...db.present(table, Object.keys(fields))].map((c) => `${alias}.${q(c)}`).join(', ');
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
  const { columns: live } = internalsOf(orm);
  return inTransaction(orm, (em) => readWith(readerOf(em, live), proposalCode, proposalNumber), {
    rollback: true,
    repeatableRead: true,
  });
}

async function readWith(db: Reader, code: string, number: string): Promise<TProposalSnapshot | null> {
  const live = (table: string) => db.options.columns.get(table);
  const [proposal] = await db.select(
    `SELECT ${columns(db, 'Proposal', 'p', PROPOSAL_FIELDS, ['proposalId', 'personId', 'proposalCode', 'proposalNumber'])} ` +
      'FROM `Proposal` p WHERE p.`proposalCode` = ? AND p.`proposalNumber` = ? ORDER BY p.`proposalId` LIMIT 1',
    [code, number],
  );
  if (!proposal) return null;
  const id = Number(proposal.proposalId);
  const persons = await readPersons(db, id, Number(proposal.personId));
  const person = (personId: unknown) => persons.get(Number(personId)) ?? null;

  const participantRows = await db.select(
    'SELECT `personId` FROM `ProposalHasPerson` WHERE `proposalId` = ? ORDER BY `proposalHasPersonId`',
    [id],
  );
  // the proposal's own person (Proposal.personId) first: the payload's first person is the PI
  const participantIds = [
    ...new Set([Number(proposal.personId), ...participantRows.map((r) => Number(r.personId))]),
  ].filter((pid) => persons.has(pid));

  const labContacts = await db.select(
    `SELECT ${columns(db, 'LabContact', 'c', LAB_CONTACT_FIELDS, ['labContactId', 'personId', 'cardName'])} ` +
      'FROM `LabContact` c WHERE c.`proposalId` = ? ORDER BY c.`labContactId`',
    [id],
  );
  const proteins = await db.select(
    `SELECT ${columns(db, 'Protein', 'r', PROTEIN_FIELDS, ['proteinId', 'personId', 'acronym'])} ` +
      'FROM `Protein` r WHERE r.`proposalId` = ? ORDER BY r.`proteinId`',
    [id],
  );
  const sessions = await db.select(
    `SELECT ${columns(db, 'BLSession', 's', SESSION_FIELDS, ['sessionId'])} ` +
      'FROM `BLSession` s WHERE s.`proposalId` = ? ORDER BY s.`sessionId`',
    [id],
  );
  const bySession = await readSessionPersons(db, id, person);
  return {
    proposal: {
      proposalId: id,
      proposalCode: textValue(proposal.proposalCode) ?? '',
      proposalNumber: textValue(proposal.proposalNumber) ?? '',
      ...pickFields(proposal, PROPOSAL_FIELDS, live('Proposal')),
      persons: participantIds.map((pid) => persons.get(pid)!),
      labcontacts: labContacts.flatMap((row): TSnapshotLabContact[] => {
        const who = person(row.personId);
        if (!who) return [];
        return [
          {
            labContactId: Number(row.labContactId),
            cardName: textValue(row.cardName) ?? '',
            person: who,
            ...pickFields(row, LAB_CONTACT_FIELDS, live('LabContact')),
          },
        ];
      }),
    },
    sessions: sessions.map(
      (row): TSnapshotSession => ({
        sessionId: Number(row.sessionId),
        ...pickFields(row, SESSION_FIELDS, live('BLSession')),
        persons: bySession.get(Number(row.sessionId)) ?? [],
      }),
    ),
    proteins: proteins.map(
      (row): TSnapshotProtein => ({
        proteinId: Number(row.proteinId),
        acronym: textValue(row.acronym) ?? '',
        person: person(row.personId),
        ...pickFields(row, PROTEIN_FIELDS, live('Protein')),
      }),
    ),
  } as TProposalSnapshot;
}

/** The persons of each of the proposal's sessions, with their session options: one statement. */
async function readSessionPersons(
  db: Reader,
  proposalId: number,
  person: (personId: unknown) => TSnapshotPerson | null,
): Promise<Map<number, TSnapshotSessionPerson[]>> {
  const rows = await db.select(
    `SELECT ${columns(db, 'Session_has_Person', 'h', SESSION_OPTION_FIELDS, ['sessionId', 'personId'])} ` +
      'FROM `Session_has_Person` h JOIN `BLSession` s ON s.`sessionId` = h.`sessionId` ' +
      'WHERE s.`proposalId` = ? ORDER BY h.`sessionId`, h.`personId`',
    [proposalId],
  );
  const live = (table: string) => db.options.columns.get(table);
  const bySession = new Map<number, TSnapshotSessionPerson[]>();
  for (const row of rows) {
    const who = person(row.personId);
    if (!who) continue;
    const list = bySession.get(Number(row.sessionId)) ?? [];
    list.push({
      ...who,
      session_options: pickFields(row, SESSION_OPTION_FIELDS, live('Session_has_Person')),
    });
    bySession.set(Number(row.sessionId), list);
  }
  return bySession;
}

/** Every person the proposal refers to (participants, PI, card holders, protein owners, session persons), with laboratories: one statement. */
async function readPersons(
  db: Reader,
  proposalId: number,
  piId: number,
): Promise<Map<number, TSnapshotPerson>> {
  const labColumns = db
    .present('Laboratory', Object.keys(LABORATORY_FIELDS))
    .map((c) => `l.${q(c)} AS ${q(`lab_${c}`)}`);
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
  const person = {
    personId: Number(row.personId),
    ...pickFields(row, PERSON_FIELDS, db.options.columns.get('Person')),
  } as TSnapshotPerson;
  if (row.lab_laboratoryId != null) {
    person.laboratory = {
      laboratoryId: Number(row.lab_laboratoryId),
      ...pickFields(row, LABORATORY_FIELDS, db.options.columns.get('Laboratory'), 'lab_'),
    };
  } else person.laboratory = null;
  return person;
}
