import type { EntityData, EntitySchema } from '@mikro-orm/core';
import type { TEntityKind } from '@upsync/schema';
import type { IspybEntityName } from '../entities/build-entities.js';
import type { Row } from '../entities/ispyb-rows.js';
import type { SyncContext } from './context.js';

/**
 * The ISPyB entity (= table) of each entity kind, the one place where kinds meet tables: the
 * engine never imports entity definitions (they are built from the live database when the orm
 * starts: `entityOf` finds this database's).
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
} as const satisfies Record<TEntityKind, IspybEntityName>;

/** The table of a kind. */
export type TableOf<K extends TEntityKind> = (typeof ENTITY)[K];

/** A managed row of a kind. */
export type RowOf<K extends TEntityKind> = Row<TableOf<K>>;

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

/** The entity of `kind`, as built for this sync's database (its rows typed by the declaration). */
export function entityOf<K extends TEntityKind>(ctx: SyncContext, kind: K): EntitySchema<RowOf<K>> {
  return ctx.entities[ENTITY[kind]] as EntitySchema<RowOf<K>>;
}

/** Creates a managed row of `kind` (written at flush). */
export function create<K extends TEntityKind>(ctx: SyncContext, kind: K, data: EntityData<RowOf<K>>) {
  return ctx.em.create(entityOf(ctx, kind), data, { partial: true });
}
