import type { TEntityKind, TEntityResult } from '@upsync/schema';
import type { Gateway, Row } from '../db/gateway.js';
import { bumpLocks, takeLocks } from '../db/locks.js';
import { collectPersons, type PersonGroup } from './collect-persons.js';
import type { SyncContext } from './context.js';
import { deriveLabContacts } from './derive-lab-contacts.js';
import { identitiesOf } from './identities.js';
import type { SyncInput } from './input.js';
import { type ProposalScope, scopeById, scopeByKey } from './proposal-scope.js';
import { runStep, runTogether } from './run-step.js';
import { findLabContacts, type LabContactPlan, syncLabContacts } from './sync-lab-contacts.js';
import { collectLabs, findLaboratories, syncLaboratories } from './sync-laboratories.js';
import { findPersons, syncPersons } from './sync-persons.js';
import { findProposals, syncProposalRow } from './sync-proposal.js';
import { findProposalParticipants, syncProposalParticipants } from './sync-proposal-participants.js';
import { findProteins, syncProteins } from './sync-proteins.js';
import { findSessionParticipants, syncSessionParticipants } from './sync-session-participants.js';
import { findSessions, syncSessions } from './sync-sessions.js';

export type Entities = Record<TEntityKind, TEntityResult[]>;

export interface OrchestratorOptions {
  lockTable: boolean;
  galera: boolean;
  labContactsFromPersons: boolean;
  cardNameLength: number;
}

/**
 * Writes one proposal inside the caller's transaction. Round trips are the cost (MariaDB answers a
 * look-up in well under a millisecond): every look-up goes out at once, with BEGIN and the locks;
 * then every write, kind by kind in dependency order (laboratories → persons → proposal → its
 * participants, cards, proteins and sessions → session participants), goes out with COMMIT — a
 * new row's id is referenced before it exists (db/new-ids.ts). The entities' ids in the returned
 * report are provisional for new rows until the transaction has ended: `withRealIds` (build-result.ts).
 */
export async function syncAll(
  ctx: SyncContext,
  input: SyncInput,
  options: OrchestratorOptions,
): Promise<{ proposalId: number; entities: Entities }> {
  const { groups, groupOf } = collectPersons(input);
  const { labs, labOf } = collectLabs(groups);
  const sessions = input.sessions ?? [];
  const proteins = input.proteins ?? [];
  // queued first, sent with the look-ups: every identity's lock, in one sorted upsert
  const stripes = options.lockTable ? takeLocks(ctx.db, identitiesOf(input, groups, labs)) : [];
  const [labRows, personRows, proposalRows, keyScoped] = await runTogether([
    runStep('laboratories', 'proposal.persons', () => findLaboratories(ctx, labs)),
    runStep('persons', 'proposal.persons', () => findPersons(ctx, groups)),
    runStep('proposal', 'proposal', () => findProposals(ctx, input.proposal)),
    findChildren(ctx, scopeByKey(input.proposal), input, options),
  ]);

  const e = {} as Entities;
  // each `settle` is a no-op unless a new id cannot be referenced in the same round trip (new-ids.ts)
  e.laboratories = await runStep('laboratories', 'proposal.persons', () =>
    syncLaboratories(ctx, labs, labRows),
  );
  await ctx.db.settle();
  e.persons = await runStep('persons', 'proposal.persons', () => syncPersons(ctx, groups, labOf, personRows));
  await ctx.db.settle();
  const participants = [...new Set(input.proposal.persons.map((p) => groupOf.get(p)!))];
  const proposal = await runStep('proposal', 'proposal', () =>
    syncProposalRow(ctx, input.proposal, participants[0]!.id!, proposalRows),
  );
  await ctx.db.settle();
  e.proposal = proposal.results;
  const proposalId = proposal.id;
  // found by externalId under another code and number (renamed): its children were not in scope
  const children = proposal.inKeyScope
    ? keyScoped
    : await findChildren(ctx, scopeById(proposalId), input, options);

  const [proposalParticipants, labContacts, proteinResults, synced] = await runTogether([
    runStep('proposalParticipants', 'proposal.persons', () =>
      syncProposalParticipants(ctx, proposalId, participants, children.participants),
    ),
    runStep('labContacts', 'proposal.labcontacts', () => {
      const plans: LabContactPlan[] = (input.proposal.labcontacts ?? []).map((entry, i) => ({
        path: `proposal.labcontacts[${i}]`,
        entry,
        person: groupOf.get(entry.person)!,
      }));
      const existing = children.labContacts.filter((r) => Number(r.proposalId) === proposalId);
      if (!options.labContactsFromPersons) return syncLabContacts(ctx, proposalId, plans, existing);
      const derived = deriveLabContacts(
        participants,
        { plans, rows: existing },
        { maxLength: options.cardNameLength, labOf },
      );
      return syncLabContacts(ctx, proposalId, [...plans, ...derived], existing);
    }),
    runStep('proteins', 'proteins', () =>
      syncProteins(ctx, proposalId, proteins, groupOf, children.proteins),
    ),
    runStep('sessions', 'sessions', () => syncSessions(ctx, proposalId, sessions, children.sessions)),
  ]);
  e.proposalParticipants = proposalParticipants;
  e.labContacts = labContacts;
  e.proteins = proteinResults;
  e.sessions = synced.results;
  await ctx.db.settle();
  const newSessionIds = new Set(synced.results.filter((r) => r.outcome === 'created').map((r) => r.id!));
  e.sessionParticipants = await runStep('sessionParticipants', 'sessions', () =>
    syncSessionParticipants(
      ctx,
      sessions.map((session, i) => ({ session, id: synced.ids[i]! })),
      groupOf,
      children.sessionParticipants,
      newSessionIds,
    ),
  );
  // queued: sent with COMMIT (Galera does not replicate row locks; a modified row does conflict)
  if (ctx.db.writes > 0 && options.galera) bumpLocks(ctx.db, stripes);
  return { proposalId, entities: e };
}

interface Children {
  participants: Row[];
  labContacts: Row[];
  proteins: Row[];
  sessions: Row[];
  sessionParticipants: Row[];
}

/** The rows of the proposals in `scope` that the payload's children may resolve to. */
async function findChildren(
  ctx: SyncContext,
  scope: ProposalScope,
  input: SyncInput,
  options: OrchestratorOptions,
): Promise<Children> {
  const none = Promise.resolve([] as Row[]);
  const cards = options.labContactsFromPersons || (input.proposal.labcontacts ?? []).length > 0;
  const payloadSessions = input.sessions ?? [];
  const [participants, labContacts, proteins, sessions, sessionParticipants] = await runTogether([
    runStep('proposalParticipants', 'proposal.persons', () => findProposalParticipants(ctx, scope)),
    runStep('labContacts', 'proposal.labcontacts', () => (cards ? findLabContacts(ctx, scope) : none)),
    runStep('proteins', 'proteins', () => findProteins(ctx, scope, input.proteins ?? [])),
    runStep('sessions', 'sessions', () => findSessions(ctx, scope, payloadSessions)),
    runStep('sessionParticipants', 'sessions', () =>
      payloadSessions.length > 0 ? findSessionParticipants(ctx, scope) : none,
    ),
  ]);
  return { participants, labContacts, proteins, sessions, sessionParticipants };
}

/** The context every step shares. */
export function syncContext(db: Gateway, rest: Omit<SyncContext, 'db'>): SyncContext {
  return { db, ...rest };
}

export type { PersonGroup };
