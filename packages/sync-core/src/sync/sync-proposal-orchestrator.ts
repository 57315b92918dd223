import type { TEntityKind, TEntityResult } from '@upsync/schema';
import type { Gateway } from '../db/gateway.js';
import { bumpLocks, takeLocks } from '../db/locks.js';
import { collectPersons, type PersonGroup } from './collect-persons.js';
import type { SyncContext } from './context.js';
import { deriveLabContacts } from './derive-lab-contacts.js';
import { identitiesOf } from './identities.js';
import type { SyncInput } from './input.js';
import { runStep } from './run-step.js';
import { findLabContacts, type LabContactPlan, syncLabContacts } from './sync-lab-contacts.js';
import { collectLabs, syncLaboratories } from './sync-laboratories.js';
import { syncPersons } from './sync-persons.js';
import { syncProposalRow } from './sync-proposal.js';
import { syncProposalParticipants } from './sync-proposal-participants.js';
import { syncProteins } from './sync-proteins.js';
import { syncSessionParticipants } from './sync-session-participants.js';
import { syncSessions } from './sync-sessions.js';

export type Entities = Record<TEntityKind, TEntityResult[]>;

export interface OrchestratorOptions {
  lockTable: boolean;
  labContactsFromPersons: boolean;
  cardNameLength: number;
}

/** Writes one proposal, entity kind by entity kind, inside the caller's transaction. */
export async function syncAll(
  ctx: SyncContext,
  input: SyncInput,
  options: OrchestratorOptions,
): Promise<{ proposalId: number; entities: Entities }> {
  const { groups, groupOf } = collectPersons(input);
  const { labs, labOf } = collectLabs(groups);
  // the first statement of the transaction: every identity's lock, in one sorted upsert
  const stripes = options.lockTable ? await takeLocks(ctx.db, identitiesOf(input, groups, labs)) : [];
  const e = {} as Entities;
  e.laboratories = await runStep('laboratories', 'proposal.persons', () => syncLaboratories(ctx, labs));
  e.persons = await runStep('persons', 'proposal.persons', () => syncPersons(ctx, groups, labOf));
  const participants = [...new Set(input.proposal.persons.map((p) => groupOf.get(p)!))];
  const proposal = await runStep('proposal', 'proposal', () =>
    syncProposalRow(ctx, input.proposal, participants[0]!.id!),
  );
  e.proposal = proposal.results;
  const proposalId = proposal.id;
  const proposalIsNew = proposal.results[0]?.outcome === 'created';
  e.proposalParticipants = await runStep('proposalParticipants', 'proposal.persons', () =>
    syncProposalParticipants(ctx, proposalId, participants, proposalIsNew),
  );
  e.labContacts = await runStep('labContacts', 'proposal.labcontacts', async () => {
    const plans: LabContactPlan[] = (input.proposal.labcontacts ?? []).map((entry, i) => ({
      path: `proposal.labcontacts[${i}]`,
      entry,
      person: groupOf.get(entry.person)!,
    }));
    // a proposal created in this transaction has no cards yet: no look-up
    const rows = proposalIsNew ? [] : undefined;
    if (!options.labContactsFromPersons) return syncLabContacts(ctx, proposalId, plans, rows);
    const existing = rows ?? (await findLabContacts(ctx, proposalId));
    const derived = deriveLabContacts(
      participants,
      { plans, rows: existing },
      { maxLength: options.cardNameLength, labOf },
    );
    return syncLabContacts(ctx, proposalId, [...plans, ...derived], existing);
  });
  e.proteins = await runStep('proteins', 'proteins', () =>
    syncProteins(ctx, proposalId, input.proteins ?? [], groupOf),
  );
  const sessions = input.sessions ?? [];
  const synced = await runStep('sessions', 'sessions', () => syncSessions(ctx, proposalId, sessions));
  e.sessions = synced.results;
  const newSessionIds = new Set(synced.results.filter((r) => r.outcome === 'created').map((r) => r.id!));
  e.sessionParticipants = await runStep('sessionParticipants', 'sessions', () =>
    syncSessionParticipants(
      ctx,
      sessions.map((session, i) => ({ session, id: synced.ids[i]! })),
      groupOf,
      newSessionIds,
    ),
  );
  if (ctx.db.writes > 0) await bumpLocks(ctx.db, stripes);
  return { proposalId, entities: e };
}

/** The context every step shares. */
export function syncContext(db: Gateway, rest: Omit<SyncContext, 'db'>): SyncContext {
  return { db, ...rest };
}

export type { PersonGroup };
