import type { SqlEntityManager } from '@mikro-orm/knex';
import type { TEntityKind } from '@upsync/schema';
import type { Managed } from './context.js';

/**
 * The MikroORM entity of each entity kind, by name: the engine never imports entity definitions
 * (they are built from the live database when the orm starts), and ISPyB's table names are the
 * entity names.
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

/** Creates a managed entity of `kind` (written at flush). */
export function create(em: SqlEntityManager, kind: TEntityKind, data: Managed): Managed {
  return em.create<Managed>(ENTITY[kind], data as never) as Managed;
}
