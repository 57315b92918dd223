import type { EntitySchema } from '@mikro-orm/core';
import type { TEntityKind } from '@upsync/schema';
import type { Managed, SyncContext } from './context.js';

/**
 * The MikroORM entity of each entity kind, by name: the engine never imports entity definitions
 * (they are built from the live database when the orm starts: `entityOf` finds this database's),
 * and ISPyB's table names are the entity names.
 */
export const ENTITY = {
  laboratories: 'Laboratory',
  persons: 'Person',
  proposal: 'Proposal',
  proposalParticipants: 'ProposalHasPerson',
  labContacts: 'LabContact',
  proteins: 'Protein',
  sessions: 'BLSession',
  sessionParticipants: 'Session_has_Person',
} as const satisfies Record<TEntityKind, string>;

/** Where a kind's failures point when no single entry can be named. */
export const KIND_PATH: Record<TEntityKind, string> = {
  laboratories: 'proposal.persons',
  persons: 'proposal.persons',
  proposal: 'proposal',
  proposalParticipants: 'proposal.persons',
  labContacts: 'proposal.labcontacts',
  proteins: 'proteins',
  sessions: 'sessions',
  sessionParticipants: 'sessions',
};

/** The entity of `kind`, as built for this sync's database. */
export function entityOf(ctx: SyncContext, kind: TEntityKind): EntitySchema<Managed> {
  return ctx.entities[ENTITY[kind]] as EntitySchema<Managed>;
}

/** Creates a managed entity of `kind` (written at flush). */
export function create(ctx: SyncContext, kind: TEntityKind, data: Managed): Managed {
  return ctx.em.create(entityOf(ctx, kind), data);
}
