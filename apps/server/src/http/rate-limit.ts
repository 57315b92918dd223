import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Authenticate } from '../auth/authenticate.js';
import type { RateLimitConfig } from '../config.js';
import { PublicError } from '../errors/public-error.js';

/** Resolves the Authorization header once per request (requireAuth and tRPC's context reuse it). */
export function authenticateOnce(authenticate: Authenticate) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    res.locals.auth ??= await authenticate(req.get('authorization'));
    if (res.locals.auth.ok) res.locals.principal = res.locals.auth.principal.name;
    next();
  };
}

/**
 * Per-principal rate limits (express-rate-limit, in-memory: per process): a principal's requests
 * per window, and, before authentication succeeds, a client address's (token guessing). Over the
 * limit: 429 TOO_MANY_REQUESTS with Retry-After, through the one error middleware. Runs after
 * authenticateOnce; a limit of 0 is off.
 */
export function rateLimits(config: RateLimitConfig): RequestHandler[] {
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
  };
  const limits: RequestHandler[] = [];
  if (config.perPrincipal > 0) {
    limits.push(
      rateLimit({
        ...common,
        limit: config.perPrincipal,
        skip: (_req, res) => !res.locals.auth?.ok,
        keyGenerator: (_req, res) => `principal:${res.locals.principal}`,
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
      }),
    );
  }
  return limits;
}
