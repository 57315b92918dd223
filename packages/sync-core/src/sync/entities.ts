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

// SQLite refuses a statement over 1,000 OR terms deep or 32,766 parameters: look-ups go in chunks
const CHUNK = 300;

/**
 * Managed entities of `kind` matching any of `values`, one query per chunk of values (normally
 * one): `where` builds the condition of a chunk (an `$in` or an `$or`).
 */
export async function findIn<V>(
  em: SqlEntityManager,
  kind: TEntityKind,
  values: V[],
  where: (chunk: V[]) => object,
  orderBy?: Record<string, 'asc'>,
): Promise<Managed[]> {
  const out: Managed[] = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    const rows = await em.find<Managed>(ENTITY[kind], where(values.slice(i, i + CHUNK)) as never, {
      ...(orderBy ? { orderBy: orderBy as never } : {}),
    });
    out.push(...rows);
  }
  // one row may match values of two chunks: the identity map makes it the same object
  return values.length > CHUNK ? [...new Set(out)] : out;
}

/** Creates a managed entity of `kind` (written at flush). */
export function create(em: SqlEntityManager, kind: TEntityKind, data: Managed): Managed {
  return em.create<Managed>(ENTITY[kind], data as never) as Managed;
}
