import type { ChangeSet, EntityManager, EventSubscriber, FlushEventArgs } from '@mikro-orm/core';

const recorded = new WeakMap<EntityManager, ChangeSet<object>[]>();

/**
 * Keeps the change sets MikroORM's unit of work computed for a flush, per EntityManager (one
 * fork per sync attempt): the sync's result reports exactly what the flush wrote, created,
 * updated (with the changed properties) or deleted; an entity without a change set is unchanged.
 */
export const changeSetRecorder: EventSubscriber = {
  onFlush(args: FlushEventArgs): void {
    recorded.set(args.em, args.uow.getChangeSets());
  },
};

/** The change sets of `em`'s last flush (none before the first). */
export function changeSetsOf(em: EntityManager): ChangeSet<object>[] {
  return recorded.get(em) ?? [];
}
