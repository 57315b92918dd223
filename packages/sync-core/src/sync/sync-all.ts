import type { TPersonGroup, TSyncProposal } from '@upsync/schema';
import { bumpLocks, lockStatement } from '../db/locks.js';
import { changeSetsOf } from './change-sets.js';
import { idOf, type Managed, type SyncContext } from './context.js';
import { deriveLabContacts } from './derive-lab-contacts.js';
import { identitiesOf } from './identities.js';
import { fetchLookUps } from './look-ups.js';
import { personGroups } from './person-groups.js';
import { flushFailure, lookUp } from './run-step.js';
import { type LabContactPlan, labContactsLookUp, syncLabContacts } from './sync-lab-contacts.js';
import { collectLabs, laboratoriesLookUp, syncLaboratories } from './sync-laboratories.js';
import { personsLookUp, syncPersons } from './sync-persons.js';
import { ofProposal, type ProposalScope, proposalLookUps, syncProposalRow } from './sync-proposal.js';
import { proposalParticipantsLookUp, syncProposalParticipants } from './sync-proposal-participants.js';
import { proteinHoldersLookUp, proteinsLookUp, syncProteins } from './sync-proteins.js';
import {
  participantsOfSessions,
  sessionParticipantsLookUp,
  syncSessionParticipants,
} from './sync-session-participants.js';
import { sessionHoldersLookUp, sessionsLookUp, syncSessions } from './sync-sessions.js';

export interface OrchestratorOptions {
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

/**
 * Writes one proposal as one unit of work, inside the caller's transaction: lock the payload's
 * identities and look every entity kind up as a set, in one round trip (managed entities in the
 * fork's identity map); let each kind's module change the entities it found or create new ones
 * (only fields the payload has); then one flush: MikroORM's change sets decide what is written,
 * its commit order inserts laboratories before persons before the proposal before its children
 * and hands the new ids on. The result entries (ctx.tracked) get their outcomes from the flush's
 * change sets. `readOnly`: the same without the locks and the flush (sync-proposal.ts reads first
 * when the payload is likely unchanged).
 */
export async function syncAll(
  ctx: SyncContext,
  input: TSyncProposal,
  persons: TPersonGroup[],
  options: OrchestratorOptions,
): Promise<Managed | undefined> {
  // one group per Person row: the parser's grouping (union of equal externalId / login)
  const { groups, groupOf } = personGroups(persons);
  const { labs, labOf } = collectLabs(groups);
  const sessions = input.sessions ?? [];
  const proteins = input.proteins ?? [];
  const locks =
    options.lockTable && !options.readOnly
      ? lockStatement(identitiesOf(input, groups, labs))
      : { stripes: [] as string[] };
  const cards = options.labContactsFromPersons || (input.proposal.labcontacts ?? []).length > 0;

  // the proposal's children are looked up through the proposals with the payload's code and
  // number (subqueries), so that they travel with the rest, before the proposal is resolved
  const children = (scope: ProposalScope) =>
    [
      proposalParticipantsLookUp(ctx, scope),
      cards ? labContactsLookUp(ctx, scope) : undefined,
      proteinsLookUp(ctx, scope, proteins),
      sessionsLookUp(ctx, scope, sessions),
      sessionParticipantsLookUp(ctx, scope, sessions),
    ] as const;
  const proposalRows = proposalLookUps(ctx, input.proposal);
  const [labRows, personRows, proposalsByKey, proposalsByExternalId, ...childRows] = await lookUp(
    'proposal',
    () =>
      fetchLookUps(
        ctx,
        [
          laboratoriesLookUp(ctx, labs),
          personsLookUp(ctx, groups),
          proposalRows.byKey,
          proposalRows.byExternalId,
          ...children(input.proposal),
        ],
        locks.statement,
      ),
  );
  // a proposal ISPyB does not hold is a sync that writes
  if (options.readOnly && proposalsByKey.length === 0 && proposalsByExternalId.length === 0) return undefined;
  syncLaboratories(ctx, labs, labRows);
  syncPersons(ctx, groups, labOf, personRows);
  const participants = [...new Set(input.proposal.persons.map((p) => groupOf.get(p)!))];
  const { entity: proposal, existed } = syncProposalRow(
    ctx,
    input.proposal,
    participants[0]!.entity!,
    union(proposalsByKey, proposalsByExternalId),
  );
  const found = existed ? proposal : undefined;
  // rare: found by externalId under another code and number (renamed), its children were not read
  const renamed = found !== undefined && !proposalsByKey.includes(found);
  const [participantsFound, cardsFound, proteinsFound, sessionsFound, sessionParticipantsFound] = renamed
    ? await lookUp('proposal', () => fetchLookUps(ctx, children({ proposalId: idOf(found, 'proposalId')! })))
    : childRows;

  // rare: proteins or sessions found by externalId in another proposal, whose keys are checked
  // there, and the participants of such sessions (those of the scope's sessions came with them)
  const scope = renamed ? [found] : proposalsByKey;
  const sessionsElsewhere = sessionsFound.filter((s) => !scope.includes(s.proposal as Managed));
  const holders = [
    proteinHoldersLookUp(ctx, found, proteins, proteinsFound),
    sessionHoldersLookUp(ctx, found, sessions, sessionsFound),
    participantsOfSessions(ctx, sessionsElsewhere),
  ] as const;
  const [proteinHolders, sessionHolders, participantsElsewhere] = holders.some(Boolean)
    ? await lookUp('proposal', () => fetchLookUps(ctx, holders))
    : [[], [], []];

  syncProposalParticipants(ctx, proposal, participants, ofProposal(participantsFound, found));
  const cardRows = ofProposal(cardsFound, found);
  const plans: LabContactPlan[] = (input.proposal.labcontacts ?? []).map((entry, i) => ({
    path: `proposal.labcontacts[${i}]`,
    entry,
    person: groupOf.get(entry.person)!,
  }));
  const derived = options.labContactsFromPersons
    ? deriveLabContacts(participants, { plans, rows: cardRows }, { maxLength: options.cardNameLength, labOf })
    : [];
  syncLabContacts(ctx, proposal, [...plans, ...derived], cardRows);
  syncProteins(ctx, proposal, proteins, groupOf, union(proteinsFound, proteinHolders));
  const synced = syncSessions(ctx, proposal, sessions, union(sessionsFound, sessionHolders));
  syncSessionParticipants(
    ctx,
    sessions.map((session, i) => ({ session, entity: synced.entities[i] })),
    groupOf,
    union(sessionParticipantsFound, participantsElsewhere).filter((r) =>
      synced.existing.has(r.session as Managed),
    ),
  );

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

function union(a: Managed[], b: Managed[]): Managed[] {
  return b.length === 0 ? a : [...new Set([...a, ...b])];
}
