import { idOf, type SyncContext } from './context.js';
import { create, type RowOf } from './kinds.js';
import { type LookUp, selectWhere } from './look-ups.js';
import type { PersonGroup } from './person-groups.js';
import { type ProposalScope, proposalIds } from './proposal-row.js';

/**
 * One ProposalHasPerson row per person of `proposal.persons`, never duplicated (existing pairs are
 * kept, even duplicates the database already has). Reconcile mode deletes this proposal's rows
 * whose person the payload no longer lists.
 */
export function syncProposalParticipants(
  ctx: SyncContext,
  proposal: RowOf<'proposal'>,
  participants: PersonGroup[],
  rows: RowOf<'proposalParticipants'>[],
): void {
  // the oldest row of each person (rows come in id order)
  const existing = new Map<RowOf<'persons'>, RowOf<'proposalParticipants'>>();
  for (const row of rows) if (!existing.has(row.person)) existing.set(row.person, row);
  const unchanged: PersonGroup[] = [];
  const missing: PersonGroup[] = [];
  for (const g of new Set(participants)) (existing.has(g.entity!) ? unchanged : missing).push(g);
  // reported as before: the pairs kept, then the ones created, then the ones deleted
  for (const g of [...unchanged, ...missing]) {
    const person = g.entity!;
    const entity = existing.get(person) ?? create(ctx, 'proposalParticipants', { proposal, person });
    ctx.tracked.push({
      kind: 'proposalParticipants',
      path: g.path,
      entity,
      key: () => ({ personId: idOf(person.personId)! }),
      id: () => idOf(entity.proposalHasPersonId),
    });
  }
  if (!ctx.reconcile) return;
  const keep = new Set(participants.map((g) => g.entity));
  for (const row of rows) {
    if (keep.has(row.person)) continue;
    ctx.em.remove(row);
    const personId = idOf(row.person.personId)!;
    const id = idOf(row.proposalHasPersonId);
    ctx.tracked.push({
      kind: 'proposalParticipants',
      path: '',
      entity: row,
      key: () => ({ personId }),
      id: () => id,
    });
  }
}

/** The participant rows of the proposal the payload may resolve to, oldest first. */
export function proposalParticipantsLookUp(
  ctx: SyncContext,
  scope: ProposalScope,
): LookUp<'proposalParticipants'> {
  const query = selectWhere(ctx, 'proposalParticipants', (eb) =>
    eb('proposalId', 'in', proposalIds(ctx, scope)),
  ).orderBy('proposalHasPersonId');
  return { kind: 'proposalParticipants', queries: [query] };
}
