import { setTimeout as sleep } from 'node:timers/promises';

// How long one sync may keep retrying its transaction. On a single server the conflicts that are
// retried (deadlocks, lock wait time-outs) clear within a few attempts: a count bounds them. On a
// Galera cluster a node that stops answering makes its peers' syncs fail (certification conflicts,
// brute-force aborts) until the others have installed a view without it — up to
// `evs.inactive_timeout` after it went silent — so there the retries are bounded by time, long
// enough for the cluster's own view change, and never past the request's deadline.

/** Attempts on a single server (deadlocks, lock waits): the jittered backoff takes ~3.5 s at worst. */
export const SINGLE_SERVER_ATTEMPTS = 8;
/** On Galera a safety net only: the time budget ends the retries first. */
const CLUSTER_ATTEMPTS = 64;
const BACKOFF_BASE_MS = 25;
const BACKOFF_CAP_MS = 1_000;

/** Galera's documented defaults, used when the node's wsrep_provider_options cannot be read. */
export const GALERA_DEFAULT_SUSPECT_MS = 5_000;
export const GALERA_DEFAULT_INACTIVE_MS = 15_000;

/** How the retries of one database's transactions are bounded. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** No retry starts later than this after the first attempt began (ms); Infinity: count only. */
  budgetMs: number;
}

export const SINGLE_SERVER_POLICY: RetryPolicy = {
  maxAttempts: SINGLE_SERVER_ATTEMPTS,
  budgetMs: Number.POSITIVE_INFINITY,
};

/** `PT3S`, `PT1.5S`, `PT1M30S`, `P1D` (Galera's ISO 8601 durations) → ms; undefined if unreadable. */
export function isoDurationMs(value: string): number | undefined {
  const m =
    /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
      value.trim(),
    );
  if (!m || value.trim().length <= 2) return undefined;
  const [d = 0, h = 0, min = 0, s = 0] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  return Math.round((((d * 24 + h) * 60 + min) * 60 + s) * 1000);
}

/** One option of a `wsrep_provider_options` value (`a.b = x; c.d = y; …`), as written there. */
function providerOption(options: string, name: string): string | undefined {
  for (const entry of options.split(';')) {
    const eq = entry.indexOf('=');
    if (eq > 0 && entry.slice(0, eq).trim() === name) return entry.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The retry policy of a Galera node, from its `wsrep_provider_options` (undefined: Galera's
 * defaults): retries for up to `evs.inactive_timeout` (the longest a silent node stays in the
 * view) plus `evs.suspect_timeout` (headroom for the attempts to go through once the new view is
 * installed) — 9 s on the test cluster (PT3S, PT6S), 20 s with Galera's defaults (PT5S, PT15S).
 */
export function galeraPolicy(providerOptions: string | undefined): RetryPolicy {
  const read = (name: string) => {
    const raw = providerOptions === undefined ? undefined : providerOption(providerOptions, name);
    return raw === undefined ? undefined : isoDurationMs(raw);
  };
  const suspect = read('evs.suspect_timeout') ?? GALERA_DEFAULT_SUSPECT_MS;
  const inactive = read('evs.inactive_timeout') ?? GALERA_DEFAULT_INACTIVE_MS;
  return { maxAttempts: CLUSTER_ATTEMPTS, budgetMs: inactive + suspect };
}

/**
 * The retries of one transaction under `policy`: `nextDelay` gives the wait before the next
 * attempt, or undefined when none may start (attempts spent, budget spent, or `signal` aborted:
 * the request's deadline passed or its client left). The attempt running is never cut.
 */
export function retryBudget(policy: RetryPolicy, signal?: AbortSignal) {
  const started = performance.now();
  return {
    nextDelay(attempt: number): number | undefined {
      if (attempt >= policy.maxAttempts || signal?.aborted) return undefined;
      const delay = Math.round(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
      if (performance.now() + delay - started > policy.budgetMs) return undefined;
      return delay;
    },
    /** Waits `ms`; false when `signal` aborted meanwhile (no further attempt then). */
    async wait(ms: number): Promise<boolean> {
      return sleep(ms, true, signal ? { signal } : {}).catch(() => false);
    },
    elapsedMs: () => Math.round(performance.now() - started),
  };
}
