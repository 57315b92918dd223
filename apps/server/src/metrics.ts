import type { TSyncResult } from '@upsync/schema';
import type { Request, Response } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** One finished sync: outcome is `synchronized`, `dry_run` or the error code in lower case. */
  recordSync(outcome: string, seconds: number, result?: TSyncResult): void;
  recordRequest(method: string, route: string, status: number): void;
  /** One sync history row written (`recorded`) or not (`failed`). */
  recordHistoryWrite(outcome: 'recorded' | 'failed'): void;
  /** One retried sync transaction attempt, by reason (certification_conflict, deadlock, …). */
  recordRetry(reason: string): void;
  /** A rate-limit check the shared store (Redis) failed: the request went on without it. */
  recordRateLimitStoreError(): void;
  /** Whether the shared rate-limit store (Redis) is connected. */
  setRateLimitStoreUp(up: boolean): void;
  /** Syncs running now, and waiting for a slot (http/admission.ts). */
  setSyncsInFlight(running: number, waiting: number): void;
  /** A sync answered 503 because the process was at its bound (`full`) or its wait ran out (`waited`). */
  recordShed(reason: 'full' | 'waited'): void;
}

/** A registry per app instance (tests create several apps; the global registry would clash). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'upsync_process_' });
  const m = instruments([registry]);
  return {
    registry,
    recordRateLimitStoreError() {
      m.storeErrors.inc();
    },
    setRateLimitStoreUp(up) {
      m.storeUp.set(up ? 1 : 0);
    },
    setSyncsInFlight(running, waiting) {
      m.inFlight.set({ state: 'running' }, running);
      m.inFlight.set({ state: 'waiting' }, waiting);
    },
    recordShed(reason) {
      m.shed.inc({ reason });
    },
    recordSync(outcome, seconds, result) {
      m.syncs.inc({ outcome });
      m.duration.observe({ outcome }, seconds);
      if (!result || result.dryRun) return;
      for (const [entity, counts] of Object.entries(result.summary)) {
        for (const kind of ['created', 'updated', 'deleted'] as const) {
          if (counts[kind] > 0) m.rows.inc({ entity, outcome: kind }, counts[kind]);
        }
      }
    },
    recordRequest(method, route, status) {
      m.requests.inc({ method, route, status: String(status) });
    },
    recordHistoryWrite(outcome) {
      m.historyWrites.inc({ outcome });
    },
    recordRetry(reason) {
      m.retries.inc({ reason });
    },
  };
}

/** The server's own series, declared in `registers` (in this order on /metrics). */
function instruments(registers: Registry[]) {
  return {
    syncs: new Counter({
      name: 'upsync_syncs_total',
      help: 'Proposal syncs by outcome (synchronized, dry_run, or the error code)',
      labelNames: ['outcome'],
      registers,
    }),
    duration: new Histogram({
      name: 'upsync_sync_duration_seconds',
      help: 'Duration of one proposal sync, validation to commit',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    rows: new Counter({
      name: 'upsync_rows_written_total',
      help: 'ISPyB rows written by committed syncs, by entity kind and outcome (created, updated, deleted)',
      labelNames: ['entity', 'outcome'],
      registers,
    }),
    requests: new Counter({
      name: 'upsync_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    historyWrites: new Counter({
      name: 'upsync_history_writes_total',
      help: 'Sync history rows by outcome (recorded, failed: e.g. upsync_sync_run is missing)',
      labelNames: ['outcome'],
      registers,
    }),
    retries: new Counter({
      name: 'upsync_sync_retries_total',
      help: 'Sync transaction attempts retried, by reason (certification_conflict: Galera; deadlock, lock_wait_timeout, commit_failed, transaction_lost, busy)',
      labelNames: ['reason'],
      registers,
    }),
    storeErrors: new Counter({
      name: 'upsync_rate_limit_store_errors_total',
      help: 'Rate-limit checks the shared store (Redis, UPSYNC_RATE_LIMIT_REDIS_URL) failed: the request went on without the shared limit',
      registers,
    }),
    storeUp: new Gauge({
      name: 'upsync_rate_limit_store_up',
      help: 'Whether the shared rate-limit store (Redis) is connected (1) or not (0); absent without UPSYNC_RATE_LIMIT_REDIS_URL',
      registers,
    }),
    inFlight: new Gauge({
      name: 'upsync_syncs_in_flight',
      help: 'Sync requests running (state="running") and waiting for a slot (state="waiting"); bound: UPSYNC_MAX_SYNCS_IN_FLIGHT',
      labelNames: ['state'],
      registers,
    }),
    shed: new Counter({
      name: 'upsync_syncs_shed_total',
      help: 'Sync requests answered 503 with Retry-After because the process was at its bound (full) or the wait for a slot ran out (waited)',
      labelNames: ['reason'],
      registers,
    }),
  };
}

/** `GET /metrics` of the server and of the consumer's monitor: the registry in Prometheus' text format. */
export function metricsHandler(metrics: Metrics) {
  return async (_req: Request, res: Response): Promise<void> => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  };
}
