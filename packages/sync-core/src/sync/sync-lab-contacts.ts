import type { TLabContact } from '@upsync/schema';
import { constraintViolation } from '../sync-error.js';
import { idOf, type SyncContext } from './context.js';
import { create, type RowOf } from './kinds.js';
import { type LookUp, selectWhere } from './look-ups.js';
import { matchKey } from './match-key.js';
import type { PersonGroup } from './person-groups.js';
import { type ProposalScope, proposalIds } from './proposal-row.js';
import { copiedFields, present } from './upsert.js';

// cardName is the key
const FIELDS = copiedFields('labContact', ['cardName']);

/** One card to write: from `proposal.labcontacts`, or derived from a proposal person (option). */
export interface LabContactPlan {
  path: string;
  entry: Pick<TLabContact, 'cardName'> & Partial<TLabContact>;
  person: PersonGroup;
}

/**
 * Lab contacts are matched by (proposalId, cardName). A card is written with its person's link;
 * when that person already has another card in this proposal (unique (personId, proposalId)),
 * that card is the one updated and renamed.
 */
export function syncLabContacts(
  ctx: SyncContext,
  proposal: RowOf<'proposal'>,
  plans: LabContactPlan[],
  rows: RowOf<'labContacts'>[],
): void {
  if (plans.length === 0) return;
  checkPayloadUnique(plans);
  const fields = FIELDS.filter((f) => ctx.has('LabContact', f));
  for (const plan of plans) {
    const person = plan.person.entity!;
    const byPerson = rows.find((r) => r.person === person);
    const byCard = rows.find((r) => matchKey(r.cardName) === matchKey(plan.entry.cardName));
    if (byPerson && byCard && byPerson !== byCard) {
      throw constraintViolation(
        `Lab contact "${plan.entry.cardName}" belongs to another person in this proposal, and this person already has the card "${byPerson.cardName}"`,
        { entity: 'labContacts', path: plan.path },
      );
    }
    const row = byPerson ?? byCard;
    const wanted: Record<string, unknown> = { ...present(plan.entry, fields), person };
    // a card found by name keeps its spelling (collation match); only a rename rewrites it
    if (!row || (row === byPerson && matchKey(row.cardName) !== matchKey(plan.entry.cardName)))
      wanted.cardName = plan.entry.cardName;
    const entity = row ? Object.assign(row, wanted) : create(ctx, 'labContacts', { ...wanted, proposal });
    ctx.tracked.push({
      kind: 'labContacts',
      path: plan.path,
      entity,
      key: () => ({ cardName: plan.entry.cardName }),
      id: () => idOf(entity.labContactId),
    });
  }
}

/** The cards of the proposal the payload may resolve to (also used to derive cards for persons that have none). */
export function labContactsLookUp(ctx: SyncContext, scope: ProposalScope): LookUp<'labContacts'> {
  const query = selectWhere(ctx, 'labContacts', (eb) => eb('proposalId', 'in', proposalIds(ctx, scope)));
  return { kind: 'labContacts', queries: [query] };
}

function checkPayloadUnique(plans: LabContactPlan[]): void {
  const seen = new Set<unknown>();
  for (const plan of plans) {
    const keys = [plan.person.entity, `card:${matchKey(plan.entry.cardName)}`];
    if (keys.some((key) => seen.has(key)))
      throw constraintViolation(
        'Two lab contacts of this proposal share a person or a card name (ISPyB allows one card per person per proposal)',
        { entity: 'labContacts', path: plan.path },
      );
    for (const key of keys) seen.add(key);
  }
}
