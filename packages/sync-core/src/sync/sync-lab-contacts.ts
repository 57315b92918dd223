import type { TEntityResult } from '@upsync/schema';
import { q, type Row } from '../db/gateway.js';
import { constraintViolation } from '../sync-error.js';
import type { PersonGroup } from './collect-persons.js';
import { entityResult, outcomeOf, type SyncContext } from './context.js';
import { copiedFields } from './copied-fields.js';
import type { LabContactIn } from './input.js';
import { matchKey } from './match-key.js';
import { changedColumns, pickPresent } from './patch.js';
import type { ProposalScope } from './proposal-scope.js';
import { stepFailure } from './run-step.js';

const TABLE = 'LabContact';
// cardName is the key
const FIELDS = copiedFields('labContact', ['cardName']);

/** One card to write: from `proposal.labcontacts`, or derived from a proposal person (option). */
export interface LabContactPlan {
  path: string;
  entry: Pick<LabContactIn, 'cardName'> & Partial<LabContactIn>;
  person: PersonGroup;
}

/**
 * Lab contacts are matched by (proposalId, cardName). A card is written with its person's link;
 * when that person already has another card in this proposal (unique (personId, proposalId)),
 * that card is the one updated and renamed.
 */
export async function syncLabContacts(
  ctx: SyncContext,
  proposalId: number,
  plans: LabContactPlan[],
  rows: Row[],
): Promise<TEntityResult[]> {
  if (plans.length === 0) return [];
  checkPayloadUnique(plans);
  const results: TEntityResult[] = [];
  const toCreate: { plan: LabContactPlan; row: Row }[] = [];
  for (const plan of plans) {
    const byPerson = rows.find((r) => Number(r.personId) === plan.person.id);
    const byCard = rows.find((r) => matchKey(r.cardName) === matchKey(plan.entry.cardName));
    if (byPerson && byCard && byPerson !== byCard) {
      throw constraintViolation(
        `Lab contact "${plan.entry.cardName}" belongs to another person in this proposal, and this person already has the card "${byPerson.cardName}"`,
        { entity: 'labContacts', path: plan.path },
      );
    }
    const wanted: Row = {
      ...pickPresent(plan.entry, ctx.db.present(TABLE, FIELDS)),
      personId: plan.person.id,
    };
    const row = byPerson ?? byCard;
    if (!row) {
      toCreate.push({ plan, row: { ...wanted, cardName: plan.entry.cardName, proposalId } });
      continue;
    }
    if (row === byPerson) wanted.cardName = plan.entry.cardName;
    const changed = changedColumns(row, wanted);
    // a card found by name keeps its spelling (collation match); only a rename rewrites it
    if (changed.cardName !== undefined && matchKey(changed.cardName) === matchKey(row.cardName))
      delete changed.cardName;
    ctx.db.updateLater(
      TABLE,
      { labContactId: row.labContactId },
      changed,
      stepFailure('labContacts', plan.path),
    );
    results.push(
      entityResult(plan.path, keyOf(plan), Number(row.labContactId), {
        outcome: outcomeOf(changed),
        changed,
      }),
    );
  }
  const ids = ctx.db.insertNew(
    TABLE,
    'labContactId',
    toCreate.map((c) => c.row),
    stepFailure('labContacts', 'proposal.labcontacts'),
  );
  toCreate.forEach((c, i) => {
    results.push(entityResult(c.plan.path, keyOf(c.plan), ids[i]!, { outcome: 'created' }));
  });
  return results;
}

/** The cards of the proposals in `scope` (also used to derive cards for persons that have none). */
export async function findLabContacts(ctx: SyncContext, scope: ProposalScope): Promise<Row[]> {
  const cols = ['labContactId', 'proposalId', 'personId', 'cardName', ...ctx.db.present(TABLE, FIELDS)]
    .map(q)
    .join(', ');
  return ctx.db.select(
    `SELECT ${cols} FROM ${q(TABLE)} WHERE ${q('proposalId')} IN (${scope.sql})`,
    scope.params,
  );
}

function checkPayloadUnique(plans: LabContactPlan[]): void {
  const persons = new Set<number>();
  const cards = new Set<string>();
  for (const plan of plans) {
    const card = matchKey(plan.entry.cardName);
    if (persons.has(plan.person.id!) || cards.has(card)) {
      throw constraintViolation(
        'Two lab contacts of this proposal share a person or a card name (ISPyB allows one card per person per proposal)',
        {
          entity: 'labContacts',
          path: plan.path,
        },
      );
    }
    persons.add(plan.person.id!);
    cards.add(card);
  }
}

function keyOf(plan: LabContactPlan): TEntityResult['key'] {
  return { cardName: plan.entry.cardName };
}
