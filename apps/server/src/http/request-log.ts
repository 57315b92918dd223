import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A bounded label for metrics: never the raw URL (unbounded, and may carry tokens). */
function routeLabel(path: string): string {
  if (path.startsWith('/trpc/')) return '/trpc';
  if (path.startsWith('/docs')) return '/docs';
  if (path.startsWith('/ispyb/api/v1/webservices/userportalsync/')) return path.replace(/\/+$/, '');
  if (['/health', '/ready', '/metrics', '/openapi.json'].includes(path)) return path;
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
    const path = req.originalUrl.split('?')[0] ?? '';
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
