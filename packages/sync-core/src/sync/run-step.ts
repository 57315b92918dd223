import type { TEntityKind } from '@upsync/schema';
import { isConstraint, isRetryable, isUnavailable } from '../db/driver-errors.js';
import { constraintViolation, internalError, SyncError } from '../sync-error.js';
import { changeSetsOf } from './change-sets.js';
import type { SyncContext } from './context.js';
import { ENTITY, KIND_PATH } from './kinds.js';

/** Runs one entity kind's look-up; a failure becomes a SyncError naming the entity kind. */
export async function lookUp<T>(kind: TEntityKind, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw passThrough(error) ? error : internalError(error, { entity: kind, path: KIND_PATH[kind] });
  }
}

// retryable and connection errors go up unchanged: the transaction runner handles them
function passThrough(error: unknown): boolean {
  return error instanceof SyncError || isRetryable(error) || isUnavailable(error);
}

const KIND_OF_TABLE = new Map<string, TEntityKind>(
  Object.entries(ENTITY).map(([kind, table]) => [table.toLowerCase(), kind as TEntityKind]),
);
const WRITE = /^\s*(insert\s+into|update|delete\s+from)\s+[`"]?(\w+)[`"]?/i;

/**
 * How a failed flush is reported: the statement that failed names the entity kind (its table);
 * the payload entry is named when the unit of work had exactly one change of that kind and sort
 * to write (an UPDATE of one row), else the kind's list (`proteins`, `proposal.persons`).
 */
export function flushFailure(error: unknown, ctx: SyncContext): unknown {
  if (passThrough(error)) return error;
  const statement = (error as { sql?: string }).sql ?? (error as Error).message ?? '';
  const m = WRITE.exec(statement);
  const kind = m ? KIND_OF_TABLE.get(m[2]!.toLowerCase()) : undefined;
  if (!kind) return internalError(error);
  const verb = m![1]!.toLowerCase();
  const type = verb.startsWith('insert') ? 'create' : verb.startsWith('update') ? 'update' : 'delete';
  const changed = changeSetsOf(ctx.em).filter(
    (cs) => cs.meta.className === ENTITY[kind] && cs.type.startsWith(type),
  );
  const one =
    changed.length === 1
      ? ctx.tracked.find((t) => t.entity === changed[0]!.entity && t.path !== '')
      : undefined;
  const path = type !== 'create' && one ? one.path : KIND_PATH[kind];
  if (isConstraint(error)) {
    return constraintViolation(
      `The database refused the ${kind} rows (a constraint was violated); nothing was written`,
      { entity: kind, path, cause: error },
    );
  }
  return internalError(error, { entity: kind, path });
}
