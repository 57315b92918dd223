import type { TPersonGroup, TSyncProposal } from '@upsync/schema';
import { bumpLocks, lockStatement } from '../db/locks.js';
import { changeSetsOf } from './change-sets.js';
import type { SyncContext } from './context.js';
import { deriveLabContacts } from './derive-lab-contacts.js';
import { identitiesOf } from './identities.js';
import type { RowOf } from './kinds.js';
import { fetchLookUps } from './look-ups.js';
import { personGroups } from './person-groups.js';
import { ofProposal, type ProposalScope, proposalLookUps, syncProposalRow } from './proposal-row.js';
import { flushFailure, lookUp } from './run-step.js';
import { type LabContactPlan, labContactsLookUp, syncLabContacts } from './sync-lab-contacts.js';
import { collectLabs, laboratoriesLookUp, syncLaboratories } from './sync-laboratories.js';
import { personsLookUp, syncPersons } from './sync-persons.js';
import { proposalParticipantsLookUp, syncProposalParticipants } from './sync-proposal-participants.js';
import { proteinHoldersLookUp, proteinsLookUp, syncProteins } from './sync-proteins.js';
import {
  participantsOfSessions,
  sessionParticipantsLookUp,
  syncSessionParticipants,
} from './sync-session-participants.js';
import { sessionHoldersLookUp, sessionsLookUp, syncSessions } from './sync-sessions.js';

export interface SyncAllOptions {
  lockTable: boolean;
  galera: boolean;
  labContactsFromPersons: boolean;
  cardNameLength: number;
  /**
   * Read only: no locks taken, nothing flushed. The unit of work computes its change sets; the
   * proposal's entity when there are none (the sync would write nothing), else undefined.
   */
  readOnly?: boolean;
}

/** The payload as the phases share it: its identities (the parser's grouping: one per Person row), its laboratories, its lists. */
function planOf(input: TSyncProposal, persons: TPersonGroup[], options: SyncAllOptions) {
  const { groups, groupOf } = personGroups(persons);
  return {
    input,
    options,
    groups,
    groupOf,
    ...collectLabs(groups),
    participants: [...new Set(input.proposal.persons.map((p) => groupOf.get(p)!))],
    sessions: input.sessions ?? [],
    proteins: input.proteins ?? [],
    // lab contacts are written when listed, or derived from the persons
    cards: options.labContactsFromPersons || (input.proposal.labcontacts ?? []).length > 0,
  };
}

type Plan = ReturnType<typeof planOf>;

/**
 * Writes one proposal as one unit of work, inside the caller's transaction: lock the payload's
 * identities and look every entity kind up as a set, in one round trip (managed entities in the
 * fork's identity map); upsert each kind on the rows found (only fields the payload has); then one
 * flush: MikroORM's change sets decide what is written, its commit order inserts laboratories
 * before persons before the proposal before its children and hands the new ids on. The result
 * entries (ctx.tracked) get their outcomes from the flush's change sets. `readOnly`: the same
 * without the locks and the flush (the entry point reads first when the payload is likely unchanged).
 */
export async function syncAll(
  ctx: SyncContext,
  input: TSyncProposal,
  persons: TPersonGroup[],
  options: SyncAllOptions,
): Promise<RowOf<'proposal'> | undefined> {
  const plan = planOf(input, persons, options);
  const locks =
    options.lockTable && !options.readOnly
      ? lockStatement(identitiesOf(input, plan.groups, plan.labs))
      : { stripes: [] as string[] };
  const found = await lookUpAll(ctx, plan, locks.statement);
  // a proposal ISPyB does not hold is a sync that writes
  if (options.readOnly && found.proposalsByKey.length === 0 && found.proposalsByExternalId.length === 0)
    return undefined;
  syncLaboratories(ctx, plan.labs, found.labs);
  syncPersons(ctx, plan.groups, plan.labOf, found.persons);
  const proposalRows = union(found.proposalsByKey, found.proposalsByExternalId);
  const { entity: proposal, existed } = syncProposalRow(
    ctx,
    input.proposal,
    plan.participants[0]!.entity!,
    proposalRows,
  );
  writeChildren(ctx, plan, {
    proposal,
    ...(await lookUpChildren(ctx, plan, found, existed ? proposal : undefined)),
  });
  if (options.readOnly) {
    const uow = ctx.em.getUnitOfWork();
    uow.computeChangeSets();
    return uow.getChangeSets().length === 0 ? proposal : undefined;
  }
  try {
    await ctx.em.flush();
  } catch (error) {
    throw flushFailure(error, ctx);
  }
  // Galera does not replicate row locks; a modified row does conflict at certification
  if (options.galera && changeSetsOf(ctx.em).length > 0)
    await lookUp('proposal', () => bumpLocks(ctx.em, locks.stripes));
  return proposal;
}

/** The children look-ups of the proposals in `scope`. */
function childLookUps(ctx: SyncContext, plan: Plan, scope: ProposalScope) {
  return [
    proposalParticipantsLookUp(ctx, scope),
    plan.cards ? labContactsLookUp(ctx, scope) : undefined,
    proteinsLookUp(ctx, scope, plan.proteins),
    sessionsLookUp(ctx, scope, plan.sessions),
    sessionParticipantsLookUp(ctx, scope, plan.sessions),
  ] as const;
}

/**
 * The first round trip, after the locks: laboratories, persons, the proposal by its keys, and the
 * children of the proposals with the payload's code and number (subqueries), so that they travel
 * with the rest, before the proposal is resolved.
 */
async function lookUpAll(ctx: SyncContext, plan: Plan, locks: Parameters<typeof fetchLookUps>[2]) {
  const proposalRows = proposalLookUps(ctx, plan.input.proposal);
  const [labs, persons, proposalsByKey, proposalsByExternalId, ...children] = await lookUp('proposal', () =>
    fetchLookUps(
      ctx,
      [
        laboratoriesLookUp(ctx, plan.labs),
        personsLookUp(ctx, plan.groups),
        proposalRows.byKey,
        proposalRows.byExternalId,
        ...childLookUps(ctx, plan, plan.input.proposal),
      ],
      locks,
    ),
  );
  return { labs, persons, proposalsByKey, proposalsByExternalId, children };
}

type Found = Awaited<ReturnType<typeof lookUpAll>>;

/**
 * The resolved proposal's children: those the first round trip read, or (rare: found by
 * externalId under another code and number, renamed) read now by its id; with, rarer still, the
 * rows of other proposals that proteins or sessions found there by externalId are checked against,
 * and the participants of such sessions.
 */
async function lookUpChildren(
  ctx: SyncContext,
  plan: Plan,
  found: Found,
  proposal: RowOf<'proposal'> | undefined,
) {
  const renamed = proposal !== undefined && !found.proposalsByKey.includes(proposal);
  const [participants, cards, proteins, sessions, sessionParticipants] = renamed
    ? await lookUp('proposal', () =>
        fetchLookUps(ctx, childLookUps(ctx, plan, { proposalId: proposal.proposalId! })),
      )
    : found.children;
  const scope = renamed ? [proposal] : found.proposalsByKey;
  const holders = [
    proteinHoldersLookUp(ctx, proposal, plan.proteins, proteins),
    sessionHoldersLookUp(ctx, proposal, plan.sessions, sessions),
    participantsOfSessions(
      ctx,
      sessions.filter((s) => !scope.includes(s.proposal)),
    ),
  ] as const;
  const [proteinHolders, sessionHolders, participantsElsewhere] = holders.some(Boolean)
    ? await lookUp('proposal', () => fetchLookUps(ctx, holders))
    : [[], [], []];
  return {
    participants: ofProposal(participants, proposal),
    cards: ofProposal(cards, proposal),
    proteins: union(proteins, proteinHolders),
    sessions: union(sessions, sessionHolders),
    sessionParticipants: union(sessionParticipants, participantsElsewhere),
  };
}

/** Upserts the proposal's children on the rows found: participants, cards, proteins, sessions. */
function writeChildren(
  ctx: SyncContext,
  plan: Plan,
  found: Awaited<ReturnType<typeof lookUpChildren>> & { proposal: RowOf<'proposal'> },
): void {
  const { proposal } = found;
  syncProposalParticipants(ctx, proposal, plan.participants, found.participants);
  const cards: LabContactPlan[] = (plan.input.proposal.labcontacts ?? []).map((entry, i) => ({
    path: `proposal.labcontacts[${i}]`,
    entry,
    person: plan.groupOf.get(entry.person)!,
  }));
  const derived = plan.options.labContactsFromPersons
    ? deriveLabContacts(
        plan.participants,
        { plans: cards, rows: found.cards },
        { maxLength: plan.options.cardNameLength, labOf: plan.labOf },
      )
    : [];
  syncLabContacts(ctx, proposal, [...cards, ...derived], found.cards);
  syncProteins(ctx, proposal, plan.proteins, plan.groupOf, found.proteins);
  const synced = syncSessions(ctx, proposal, plan.sessions, found.sessions);
  syncSessionParticipants(
    ctx,
    plan.sessions.map((session, i) => ({ session, entity: synced.entities[i] })),
    plan.groupOf,
    found.sessionParticipants.filter((r) => synced.existing.has(r.session)),
  );
}

function union<R>(a: R[], b: R[]): R[] {
  return b.length === 0 ? a : [...new Set([...a, ...b])];
}
