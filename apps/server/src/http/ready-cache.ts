import type { ReadyCheck, ReadyReport } from '../health.js';

/**
 * /ready at most once per `ttlMs` (and one check at a time): probes from many places, or a
 * flood of them, cost one database round trip a second, not one each.
 */
export function cachedReadiness(check: ReadyCheck, ttlMs = 1000): ReadyCheck {
  let last: { at: number; report: Promise<ReadyReport> } | undefined;
  return () => {
    const now = performance.now();
    if (last === undefined || now - last.at >= ttlMs) {
      last = { at: now, report: check().catch(() => ({ ready: false, detail: 'readiness check failed' })) };
    }
    return last.report;
  };
}
