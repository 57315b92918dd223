import type { TPersonGroup } from '@upsync/schema';
import { bumpLocks, takeLocks } from '../db/locks.js';
import { changeSetsOf } from './change-sets.js';
import type { Managed, SyncContext } from './context.js';
import { deriveLabContacts } from './derive-lab-contacts.js';
import { identitiesOf } from './identities.js';
import type { SyncInput } from './input.js';
import { personGroups } from './person-groups.js';
import { flushFailure, lookUp } from './run-step.js';
import { findLabContacts, type LabContactPlan, syncLabContacts } from './sync-lab-contacts.js';
import { collectLabs, findLaboratories, syncLaboratories } from './sync-laboratories.js';
import { findPersons, syncPersons } from './sync-persons.js';
import { findProposals, syncProposalRow } from './sync-proposal.js';
import { findProposalParticipants, syncProposalParticipants } from './sync-proposal-participants.js';
import { findProteins, syncProteins } from './sync-proteins.js';
import { findSessionParticipants, syncSessionParticipants } from './sync-session-participants.js';
import { findSessions, syncSessions } from './sync-sessions.js';

export interface OrchestratorOptions {
  lockTable: boolean;
  galera: boolean;
  labContactsFromPersons: boolean;
  cardNameLength: number;
}

/**
 * Writes one proposal as one unit of work, inside the caller's transaction: lock the payload's
 * identities, look each entity kind up as a set (managed entities in the fork's identity map),
 * let each kind's module change the entities it found or create new ones (only fields the payload
 * has), then one flush: MikroORM's change sets decide what is written, its commit order inserts
 * laboratories before persons before the proposal before its children and hands the new ids on.
 * The result entries (ctx.tracked) get their outcomes from the flush's change sets.
 */
export async function syncAll(
  ctx: SyncContext,
  input: SyncInput,
  persons: TPersonGroup[],
  options: OrchestratorOptions,
): Promise<Managed> {
  // one group per Person row: the parser's grouping (union of equal externalId / login)
  const { groups, groupOf } = personGroups(persons);
  const { labs, labOf } = collectLabs(groups);
  const sessions = input.sessions ?? [];
  const proteins = input.proteins ?? [];
  const stripes = options.lockTable
    ? await lookUp('proposal', () => takeLocks(ctx.em, identitiesOf(input, groups, labs)))
    : [];

  const labRows = await lookUp('laboratories', () => findLaboratories(ctx, labs));
  const personRows = await lookUp('persons', () => findPersons(ctx, groups));
  const proposalRows = await lookUp('proposal', () => findProposals(ctx, input.proposal));
  syncLaboratories(ctx, labs, labRows);
  syncPersons(ctx, groups, labOf, personRows);
  const participants = [...new Set(input.proposal.persons.map((p) => groupOf.get(p)!))];
  const { entity: proposal, existed } = syncProposalRow(
    ctx,
    input.proposal,
    participants[0]!.entity!,
    proposalRows,
  );

  // a new proposal has no children yet; proteins and sessions may still exist elsewhere by externalId
  const found = existed ? proposal : undefined;
  const cards = options.labContactsFromPersons || (input.proposal.labcontacts ?? []).length > 0;
  const participantRows = found
    ? await lookUp('proposalParticipants', () => findProposalParticipants(ctx, found))
    : [];
  const cardRows = found && cards ? await lookUp('labContacts', () => findLabContacts(ctx, found)) : [];
  const proteinRows = await lookUp('proteins', () => findProteins(ctx, found, proteins));
  const sessionRows = await lookUp('sessions', () => findSessions(ctx, found, sessions));

  syncProposalParticipants(ctx, proposal, participants, participantRows);
  const plans: LabContactPlan[] = (input.proposal.labcontacts ?? []).map((entry, i) => ({
    path: `proposal.labcontacts[${i}]`,
    entry,
    person: groupOf.get(entry.person)!,
  }));
  const derived = options.labContactsFromPersons
    ? deriveLabContacts(participants, { plans, rows: cardRows }, { maxLength: options.cardNameLength, labOf })
    : [];
  syncLabContacts(ctx, proposal, [...plans, ...derived], cardRows);
  syncProteins(ctx, proposal, proteins, groupOf, proteinRows);
  const synced = syncSessions(ctx, proposal, sessions, sessionRows);
  const sessionParticipantRows = await lookUp('sessionParticipants', () =>
    findSessionParticipants(ctx, [...synced.existing]),
  );
  syncSessionParticipants(
    ctx,
    sessions.map((session, i) => ({ session, entity: synced.entities[i] })),
    groupOf,
    sessionParticipantRows,
  );

  try {
    await ctx.em.flush();
  } catch (error) {
    throw flushFailure(error, ctx);
  }
  // Galera does not replicate row locks; a modified row does conflict at certification
  if (options.galera && changeSetsOf(ctx.em).length > 0)
    await lookUp('proposal', () => bumpLocks(ctx.em, stripes));
  return proposal;
}
