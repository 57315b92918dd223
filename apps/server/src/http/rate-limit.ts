import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, type Logger as LimiterLogger, rateLimit } from 'express-rate-limit';
import type { Authenticate } from '../auth/authenticate.js';
import type { RateLimitConfig } from '../config.js';
import { PublicError } from '../errors/public-error.js';
import type { Logger } from '../logger.js';
import type { SharedCounters } from './rate-limit-store.js';

/** Resolves the Authorization header once per request (requireAuth and tRPC's context reuse it). */
export function authenticateOnce(authenticate: Authenticate) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    res.locals.auth ??= await authenticate(req.get('authorization'));
    if (res.locals.auth.ok) res.locals.principal = res.locals.auth.principal.name;
    next();
  };
}

/**
 * Per-principal rate limits (express-rate-limit): a principal's requests per window, and, before
 * authentication succeeds, a client address's (token guessing). Counted per process, or in Redis
 * for all replicas with `shared` (UPSYNC_RATE_LIMIT_REDIS_URL; a failing Redis lets requests
 * pass, rate-limit-store.ts). Over the limit: 429 TOO_MANY_REQUESTS with Retry-After, through the
 * one error middleware. Runs after authenticateOnce; a limit of 0 is off.
 */
export function rateLimits(
  config: RateLimitConfig,
  shared?: { counters: SharedCounters; logger: Logger },
): RequestHandler[] {
  const handler = (req: Request, _res: Response, next: NextFunction) => {
    const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
    const retryAfter = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now()) - Date.now()) / 1000));
    next(
      new PublicError('TOO_MANY_REQUESTS', `Too many requests: retry after ${retryAfter} s`, { retryAfter }),
    );
  };
  const common = {
    windowMs: config.windowMs,
    standardHeaders: 'draft-7' as const,
    legacyHeaders: false,
    handler,
    // the keys below are ours (principal names, or ipKeyGenerator's per-/56 keys for IPv6)
    validate: { keyGeneratorIpFallback: false, xForwardedForHeader: false },
    ...(shared && { passOnStoreError: true, logger: limiterLogger(shared.logger) }),
  };
  const limits: RequestHandler[] = [];
  if (config.perPrincipal > 0) {
    limits.push(
      rateLimit({
        ...common,
        limit: config.perPrincipal,
        skip: (_req, res) => !res.locals.auth?.ok,
        keyGenerator: (_req, res) => `principal:${res.locals.principal}`,
        ...(shared && { store: shared.counters.store() }),
      }),
    );
  }
  if (config.anonymous > 0) {
    limits.push(
      rateLimit({
        ...common,
        limit: config.anonymous,
        skip: (_req, res) => res.locals.auth?.ok === true,
        keyGenerator: (req) => `address:${ipKeyGenerator(req.ip ?? 'unknown')}`,
        ...(shared && { store: shared.counters.store() }),
      }),
    );
  }
  return limits;
}

/**
 * express-rate-limit's messages into the server's log, except its line per request passed
 * without a limit while the store fails: rate-limit-store.ts logs an outage once and counts it.
 */
function limiterLogger(logger: Logger): LimiterLogger {
  const log = logger.child({ component: 'rate-limit' });
  return {
    error: (error, message) => {
      if (!message?.includes('error from store')) log.error({ err: error }, message ?? 'rate limit error');
    },
    warn: (error, message) => log.warn({ err: error }, message ?? 'rate limit warning'),
  };
}
