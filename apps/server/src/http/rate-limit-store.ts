import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { Redis } from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

/**
 * A rate-limit check that Redis has not answered in this time counts as Redis failing (the
 * request goes on without the shared limit): a hung Redis must not hang the API.
 */
const COMMAND_TIMEOUT_MS = 500;

/** The Redis behind the shared counters: one connection per process, stores per limiter. */
export interface SharedCounters {
  /** A store for one limiter (express-rate-limit refuses one store shared by two limiters). */
  store(): Store;
  close(): Promise<void>;
}

/**
 * Rate-limit counters in Redis (rate-limit-redis over ioredis), so that every replica counts
 * against the same limit. Redis going away fails open: a check that fails is logged (once per
 * outage), counted in upsync_rate_limit_store_errors_total, and the request goes on (the
 * limiters run with passOnStoreError); ioredis reconnects by itself, and the next check after it
 * has loads the store's scripts again.
 */
export function sharedCounters(
  url: string,
  prefix: string,
  logger: Logger,
  metrics: Metrics,
): SharedCounters {
  const log = logger.child({ component: 'rate-limit-store' });
  const redis = new Redis(url, {
    // fail at once while disconnected instead of queueing checks until Redis returns
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    // reconnect for ever, at most every 2 s
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  // logged once per outage, however many reconnect attempts fail meanwhile
  let state: 'connecting' | 'up' | 'down' | 'closing' = 'connecting';
  metrics.setRateLimitStoreUp(false);
  const down = (reason: string) => {
    metrics.setRateLimitStoreUp(false);
    if (state === 'down' || state === 'closing') return;
    state = 'down';
    log.error(
      { reason },
      'rate-limit counters: Redis unavailable, requests pass without the shared limit until it returns',
    );
  };
  redis.on('ready', () => {
    state = 'up';
    metrics.setRateLimitStoreUp(true);
    log.info('rate-limit counters: Redis connected (limits shared by the replicas)');
  });
  redis.on('error', (error: Error) => down(error.message));
  redis.on('close', () => down('connection closed'));
  return {
    store() {
      return new FailOpenStore(
        new RedisStore({
          // the limiters' keys differ already (principal:…, address:…)
          prefix,
          sendCommand: (command: string, ...args: string[]) =>
            redis.call(command, ...args) as Promise<number | string>,
        }),
        () => metrics.recordRateLimitStoreError(),
      );
    },
    async close() {
      state = 'closing';
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * Counts the inner store's failures and rethrows them (express-rate-limit then lets the request
 * pass: passOnStoreError); after a failure, the next call loads the Lua scripts again first —
 * rate-limit-redis loads them once, in init, and a Redis that was down then would stay unusable.
 */
class FailOpenStore implements Store {
  private options: Options | undefined;
  private stale = false;

  constructor(
    private readonly inner: RedisStore,
    private readonly onError: () => void,
  ) {}

  get prefix(): string {
    return this.inner.prefix;
  }

  init(options: Options): void {
    this.options = options;
    // a Redis not reachable yet fails here: the first check loads the scripts again
    this.inner.init(options).catch(() => {
      this.stale = true;
    });
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    return this.guard(() => this.inner.increment(key));
  }

  async decrement(key: string): Promise<void> {
    return this.guard(() => this.inner.decrement(key));
  }

  async resetKey(key: string): Promise<void> {
    return this.guard(() => this.inner.resetKey(key));
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    return this.guard(() => this.inner.get(key));
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      if (this.stale && this.options) {
        await this.inner.init(this.options);
        this.stale = false;
      }
      return await call();
    } catch (error) {
      this.stale = true;
      this.onError();
      throw error;
    }
  }
}
