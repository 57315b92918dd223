import type { TSyncErrorCode } from '@upsync/schema';

export interface RetryPolicy {
  /** First backoff delay; it doubles per attempt up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Attempts for unexpected failures (INTERNAL) before the message is dead-lettered. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { initialDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 5 };

/** What to do with a message whose sync failed. */
export type RetryDecision = { action: 'retry'; delayMs: number } | { action: 'dead-letter' };

/** The payload itself is wrong: retrying the same bytes gives the same answer. */
const PAYLOAD_FAULTS: ReadonlySet<TSyncErrorCode> = new Set([
  'VALIDATION_FAILED',
  'IDENTITY_CONFLICT',
  'CONSTRAINT_VIOLATION',
]);

/**
 * Failures of the environment, not of the message (database down, lock contention, the lock
 * table missing): retried until they pass, so that an outage never empties the queue into the
 * dead-letter queue.
 */
function isEnvironmentFault(code: TSyncErrorCode, retryable: boolean): boolean {
  return retryable || code === 'SCHEMA_MISMATCH';
}

/** Exponential backoff with a little jitter (competing consumers do not retry in lockstep). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random) {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.2 * random()));
}

/** `attempt` counts the attempts made so far (1 after the first failure). */
export function decideRetry(
  failure: { code: TSyncErrorCode; retryable: boolean },
  attempt: number,
  policy: RetryPolicy,
): RetryDecision {
  if (PAYLOAD_FAULTS.has(failure.code)) return { action: 'dead-letter' };
  if (!isEnvironmentFault(failure.code, failure.retryable) && attempt >= policy.maxAttempts)
    return { action: 'dead-letter' };
  return { action: 'retry', delayMs: backoffDelay(attempt, policy) };
}
