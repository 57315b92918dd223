import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, retryDelay } from '../src/backoff.js';

describe('backoffDelay', () => {
  it('doubles per attempt, with jitter between half and all of it, and never exceeds the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (attempt, base, max, r) => {
          const delay = backoffDelay(attempt, { baseDelayMs: base, maxDelayMs: max, random: () => r });
          const exponential = Math.min(max, base * 2 ** attempt);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(exponential / 2));
          expect(delay).toBeLessThanOrEqual(Math.ceil(exponential));
        },
      ),
    );
  });

  it('grows exponentially', () => {
    const fixed = { baseDelayMs: 100, maxDelayMs: 100_000, random: () => 0.5 };
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, fixed))).toEqual([75, 150, 300, 600]);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
  });
});

describe('retryDelay', () => {
  const options = { baseDelayMs: 10, maxDelayMs: 3000, random: () => 0 };
  it('waits at least what Retry-After asks, capped', () => {
    expect(retryDelay(0, 1000, options)).toBe(1000);
    expect(retryDelay(0, 3_600_000, options)).toBe(3000);
    expect(retryDelay(0, undefined, options)).toBe(5);
  });
  it('spreads the clients told the same Retry-After: up to half of it more, at random', () => {
    expect(retryDelay(0, 1000, { ...options, random: () => 0.5 })).toBe(1250);
    expect(retryDelay(0, 1000, { ...options, random: () => 0.999 })).toBe(1500);
    expect(retryDelay(0, 2800, { ...options, random: () => 0.999 })).toBe(3000);
  });
});
