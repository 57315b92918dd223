import { createHash } from 'node:crypto';
import type { UpsyncOrm } from '@upsync/sync-core';
import { checkReady } from '@upsync/sync-core';
import express, { type Express } from 'express';
import { createAuthenticator } from './auth/authenticate.js';
import type { ServiceToken } from './auth/service-tokens.js';
import type { ServerConfig } from './config.js';
import { docsRoutes } from './docs.js';
import { healthRoutes } from './health.js';
import { consoleDistDir, consoleRoutes } from './http/console-static.js';
import { errorMiddleware, notFound } from './http/error-middleware.js';
import { trpcBody } from './http/json-body.js';
import './http/locals.js';
import { admission } from './http/admission.js';
import { corsFor } from './http/cors.js';
import { drainMode } from './http/drain.js';
import { authenticateOnce, rateLimits } from './http/rate-limit.js';
import type { SharedCounters } from './http/rate-limit-store.js';
import { cachedReadiness } from './http/ready-cache.js';
import { requestLog } from './http/request-log.js';
import { requestSignal } from './http/request-signal.js';
import { requireAuth } from './http/require-auth.js';
import { noStore, securityHeaders } from './http/security-headers.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics, metricsHandler } from './metrics.js';
import { buildOpenApiDocument } from './openapi.js';
import { USERPORTALSYNC_BASE } from './rest/paths.js';
import { userPortalSyncRoutes } from './rest/userportalsync.js';
import { createSyncService } from './sync-service.js';
import { trpcHandler } from './trpc/express-handler.js';

export interface AppDeps {
  orm: UpsyncOrm;
  config: ServerConfig;
  logger: Logger;
  /** Service tokens (UPSYNC_API_TOKENS, UPSYNC_API_TOKENS_FILE, or the development token). */
  tokens: readonly ServiceToken[];
  /** Defaults to a fresh registry for this app. */
  metrics?: Metrics;
  /** Rate-limit counters shared by the replicas (Redis); per process without. */
  sharedCounters?: SharedCounters;
  /** Aborted when the process begins to shut down: /ready answers 503 from then on (serve.ts). */
  stopping?: AbortSignal;
}

/** Builds the Express app (no listen): REST, /trpc, docs, health, metrics. */
export function createApp(deps: AppDeps): Express {
  const { config, logger, orm } = deps;
  const metrics = deps.metrics ?? createMetrics();
  const authenticate = createAuthenticator({ tokens: deps.tokens, jwt: config.jwt });
  const services = createSyncService({ orm, config, logger, metrics, recordHistory: true });

  const app = express();
  app.disable('x-powered-by');
  // no ETag computed over every answer: the API's answers are POST results or marked no-store, and
  // health, readiness and metrics change between probes; the one document worth revalidating,
  // /openapi.json, carries an ETag computed once (below)
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.use(requestLog(logger, metrics));
  // before authentication and the rate limits: a preflight carries no token
  if (config.corsOrigins.length > 0) app.use(corsFor(config.corsOrigins));
  app.use(securityHeaders());

  if (deps.stopping) app.use(drainMode(deps.stopping));
  if (!config.readyPublic) app.use('/ready', requireAuth(authenticate, []));
  const readiness = cachedReadiness(async () => {
    const { ok, problems, notes } = await checkReady(orm);
    // notes (e.g. no history table) do not stop syncs: ready, with the note shown
    if (ok) return notes.length > 0 ? { ready: true, detail: notes.join('; ') } : { ready: true };
    return { ready: false, detail: [...problems, ...notes].join('; ') };
  });
  app.use(
    healthRoutes(async () =>
      // shutting down: the load balancer takes this replica out while it still answers
      deps.stopping?.aborted ? { ready: false, detail: 'shutting down' } : readiness(),
    ),
  );
  app.get(
    '/metrics',
    ...(config.metricsPublic ? [] : [requireAuth(authenticate, [])]),
    metricsHandler(metrics),
  );
  // the payload part describes this database (live columns; missing ones absent or marked ignored)
  const openapi = JSON.stringify(
    buildOpenApiDocument({ limits: orm.columnLimits, missingColumns: orm.missingColumns }),
  );
  const openapiTag = `"${createHash('sha1').update(openapi).digest('base64url')}"`;
  app.get('/openapi.json', (_req, res) => {
    // res.send answers 304 itself when If-None-Match matches the ETag set here
    res.type('json').setHeader('ETag', openapiTag).send(openapi);
  });
  app.use(docsRoutes());
  app.use(consoleRoutes(config.consoleDir ?? consoleDistDir()));

  // the API: authenticated once, rate-limited per principal, never cached, stopped between
  // batch items when the client leaves or the deadline passes
  const api = [USERPORTALSYNC_BASE, '/trpc'];
  const shared = deps.sharedCounters && { counters: deps.sharedCounters, logger };
  app.use(api, authenticateOnce(authenticate), ...rateLimits(config.rateLimit, shared), noStore);
  // a bounded number of syncs at once; beyond, 503 + Retry-After (before the body is read)
  app.use(api, admission(config.admission, metrics));
  app.use(api, requestSignal(config.http.requestDeadlineMs));
  app.use(userPortalSyncRoutes({ authenticate, bodyLimitBytes: config.bodyLimitBytes, services }));

  app.use('/trpc', trpcBody(config.bodyLimitBytes), trpcHandler({ config, authenticate, services, logger }));

  app.use(notFound);
  app.use(errorMiddleware());
  return app;
}
