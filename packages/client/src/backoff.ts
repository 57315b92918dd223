/** How long to wait between attempts. */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter (ms). */
  baseDelayMs: number;
  /** No wait is longer than this, Retry-After included (ms). */
  maxDelayMs: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (0 for the first retry): exponential, with "equal jitter"
 * (half fixed, half random) so that many clients failing together do not retry in lockstep.
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The wait before the next attempt: the server's Retry-After when longer than the backoff, plus up
 * to half of it at random — clients the server turned away together (an overloaded server answers
 * many 503s with the same Retry-After) come back spread out, not in one burst — always capped.
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions,
): number {
  const backoff = backoffDelay(attempt, options);
  if (retryAfterMs === undefined) return Math.min(backoff, options.maxDelayMs);
  const random = options.random ?? Math.random;
  const spread = Math.round((random() * retryAfterMs) / 2);
  return Math.min(Math.max(backoff, retryAfterMs + spread), options.maxDelayMs);
}
