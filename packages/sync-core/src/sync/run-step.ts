import type { TEntityKind } from '@upsync/schema';
import { isConstraint, isRetryable, isUnavailable } from '../db/driver-errors.js';
import { constraintViolation, internalError, SyncError } from '../sync-error.js';

/** Runs one entity kind's step; failures become a SyncError naming the entity and payload path. */
export async function runStep<T>(entity: TEntityKind, path: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    // retryable and connection errors go up unchanged: the transaction runner handles them
    if (error instanceof SyncError || isRetryable(error) || isUnavailable(error)) throw error;
    if (isConstraint(error)) {
      throw constraintViolation(
        `The database refused the ${entity} rows (a constraint was violated); nothing was written`,
        {
          entity,
          path,
          cause: error,
        },
      );
    }
    throw internalError(error, { entity, path });
  }
}
