import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import {
  PROPOSAL_PATH,
  SCHEMA_PATH,
  SYNC_PROPOSAL_PATH,
  SYNC_PROPOSALS_PATH,
  SYNC_RUNS_PATH,
  USERPORTALSYNC_BASE,
} from '../rest/paths.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Routes labelled by their own path; a trailing slash is the same route (Express is not strict). */
const FIXED_ROUTES = new Set([
  SYNC_PROPOSAL_PATH,
  SCHEMA_PATH,
  SYNC_PROPOSALS_PATH,
  SYNC_RUNS_PATH,
  '/health',
  '/ready',
  '/metrics',
  '/openapi.json',
]);
const PROPOSAL_PREFIX = `${USERPORTALSYNC_BASE}/proposal/`;

/**
 * A label for metrics from a fixed set of route templates, `other` for the rest: never the raw
 * path (every distinct path would become a permanent series, naming the proposals read back),
 * and no regular expression on it (a 16 KB path of slashes must cost nothing).
 */
export function routeLabel(path: string): string {
  if (FIXED_ROUTES.has(path)) return path;
  if (path.endsWith('/') && FIXED_ROUTES.has(path.slice(0, -1))) return path.slice(0, -1);
  if (path.startsWith('/trpc/')) return '/trpc';
  if (path === '/docs' || path.startsWith('/docs/')) return '/docs';
  if (path.startsWith(PROPOSAL_PREFIX)) return PROPOSAL_PATH;
  return 'other';
}

/**
 * Gives each request an id (a sane incoming X-Request-Id is kept) and a child logger, and logs
 * one line when it finishes: path without the query string, status, duration, token name.
 */
export function requestLog(logger: Logger, metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const started = performance.now();
    res.locals.requestId = requestId;
    res.locals.log = logger.child({ reqId: requestId });
    res.setHeader('X-Request-Id', requestId);
    // originalUrl: routers rewrite req.url/req.path while they run; never log the query string.
    // bounded: a 16 KB path would otherwise be a 16 KB log line
    const path = (req.originalUrl.split('?')[0] ?? '').slice(0, 512);
    res.on('finish', () => {
      const route = routeLabel(path);
      metrics.recordRequest(req.method, route, res.statusCode);
      const line = {
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(res.locals.principal && { principal: res.locals.principal }),
      };
      if (res.statusCode >= 500) res.locals.log.error(line, 'request failed');
      else res.locals.log.info(line, 'request');
    });
    next();
  };
}
