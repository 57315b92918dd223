import type { ChangeSet, EntityManager, EventSubscriber, FlushEventArgs } from '@mikro-orm/core';

const recorded = new WeakMap<EntityManager, ChangeSet<object>[]>();
const written = new WeakMap<ChangeSet<object>, string[]>();

/**
 * Keeps the change sets MikroORM's unit of work computed for a flush, per EntityManager (one
 * fork per sync attempt): the sync's result reports exactly what the flush wrote, created,
 * updated (with the changed properties) or deleted; an entity without a change set is unchanged.
 */
export const changeSetRecorder: EventSubscriber = {
  onFlush(args: FlushEventArgs): void {
    const changeSets = args.uow.getChangeSets();
    // Read before the statements run: MikroORM merges the row an UPDATE … RETURNING gives back
    // (the primary key at least) into the same payload afterwards, and those were not written.
    for (const cs of changeSets) {
      const keys = new Set<string>(cs.meta.primaryKeys);
      const fields = Object.keys(cs.payload).filter((field) => !keys.has(field));
      written.set(cs, fields);
    }
    recorded.set(args.em, changeSets);
  },
};

/** The change sets of `em`'s last flush (none before the first). */
export function changeSetsOf(em: EntityManager): ChangeSet<object>[] {
  return recorded.get(em) ?? [];
}

/** The properties a change set's statement writes (never a primary key), as computed for the flush. */
export function writtenFields(changeSet: ChangeSet<object>): string[] {
  return written.get(changeSet) ?? [];
}
