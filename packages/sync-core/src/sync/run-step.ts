import type { TEntityKind } from '@upsync/schema';
import { isConstraint, isRetryable, isUnavailable } from '../db/driver-errors.js';
import { StatementNotRun } from '../db/session.js';
import { constraintViolation, internalError, SyncError } from '../sync-error.js';

/** Runs one entity kind's step; failures become a SyncError naming the entity and payload path. */
export async function runStep<T>(entity: TEntityKind, path: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw stepFailure(entity, path)(error);
  }
}

/**
 * How a failure of one entity kind's statements is reported (also for its deferred writes, which
 * fail in a later round trip). Retryable and connection errors go up unchanged: the transaction
 * runner handles them; so does a statement dropped because another failed (that one names the cause).
 */
export function stepFailure(entity: TEntityKind, path: string): (error: unknown) => unknown {
  return (error) => {
    if (
      error instanceof SyncError ||
      error instanceof StatementNotRun ||
      isRetryable(error) ||
      isUnavailable(error)
    )
      return error;
    if (isConstraint(error)) {
      return constraintViolation(
        `The database refused the ${entity} rows (a constraint was violated); nothing was written`,
        { entity, path, cause: error },
      );
    }
    return internalError(error, { entity, path });
  };
}

/**
 * Runs independent steps together, so that their statements share round trips, and waits for all
 * of them: a failure is the first step's own error, not a statement dropped because of it.
 */
export async function runTogether<T extends readonly unknown[]>(
  steps: { [K in keyof T]: Promise<T[K]> },
): Promise<T> {
  const settled = await Promise.allSettled(steps);
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed.length > 0)
    throw (failed.find((f) => !(f.reason instanceof StatementNotRun)) ?? failed[0]!).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
