import { createExpressMiddleware } from '@trpc/server/adapters/express';
import type { UpsyncOrm } from '@upsync/sync-core';
import { checkReady } from '@upsync/sync-core';
import express, { type Express } from 'express';
import { createAuthenticator } from './auth/authenticate.js';
import type { ServiceToken } from './auth/service-tokens.js';
import type { ServerConfig } from './config.js';
import { docsRoutes } from './docs.js';
import { isBatchTooLarge } from './errors/describe-error.js';
import { mapSyncError } from './errors/map-sync-error.js';
import { SyncFailure } from './errors/sync-failure.js';
import { healthRoutes } from './health.js';
import './http/locals.js';
import { requestLog } from './http/request-log.js';
import { requireAuth } from './http/require-auth.js';
import { errorHandler, notFound } from './http/send-error.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics, metricsHandler } from './metrics.js';
import { buildOpenApiDocument } from './openapi.js';
import { userPortalSyncRoutes } from './rest/userportalsync.js';
import { appRouter } from './router.js';
import { createSyncService } from './sync-service.js';
import type { Context } from './trpc/context.js';

export interface AppDeps {
  orm: UpsyncOrm;
  config: ServerConfig;
  logger: Logger;
  /** Service tokens (UPSYNC_API_TOKENS, UPSYNC_API_TOKENS_FILE, or the development token). */
  tokens: readonly ServiceToken[];
  /** Defaults to a fresh registry for this app. */
  metrics?: Metrics;
}

/** `5242880` → `5 MB` for messages. */
function formatBytes(bytes: number): string {
  const mb = bytes / 1024 ** 2;
  return mb >= 1 ? `${Number(mb.toFixed(2))} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Builds the Express app (no listen): REST, /trpc, docs, health, metrics. */
export function createApp(deps: AppDeps): Express {
  const { config, logger, orm } = deps;
  const metrics = deps.metrics ?? createMetrics();
  const authenticate = createAuthenticator({ tokens: deps.tokens, jwt: config.jwt });
  const services = createSyncService({ orm, config, logger, metrics, recordHistory: true });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(requestLog(logger, metrics));
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });

  app.use(
    healthRoutes(async () => {
      const { ok, problems, notes } = await checkReady(orm);
      // notes (e.g. no history table) do not stop syncs: ready, with the note shown
      if (ok) return notes.length > 0 ? { ready: true, detail: notes.join('; ') } : { ready: true };
      return { ready: false, detail: [...problems, ...notes].join('; ') };
    }),
  );
  const metricsAuth = config.metricsPublic ? [] : [requireAuth(authenticate, { permission: false })];
  app.get('/metrics', ...metricsAuth, metricsHandler(metrics));
  // the payload part describes this database (live columns; missing ones absent or marked ignored)
  const openapi = buildOpenApiDocument({ limits: orm.columnLimits, missingColumns: orm.missingColumns });
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use(docsRoutes());
  app.use(userPortalSyncRoutes({ authenticate, bodyLimitBytes: config.bodyLimitBytes, services }));

  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      maxBodySize: config.bodyLimitBytes,
      // refused before any call runs (1,000 calls in one request all ran)
      maxBatchSize: config.payloadLimits.maxTrpcBatch,
      createContext: async ({ req, res }): Promise<Context> => {
        const auth = await authenticate(req.headers.authorization);
        if (auth.ok) res.locals.principal = auth.principal.name;
        return { requestId: res.locals.requestId, auth, services };
      },
      responseMeta({ errors }) {
        if (errors.some(isBatchTooLarge)) return { status: 413 };
        const retryAfter = errors
          .map((e) => (e.cause instanceof SyncFailure ? mapSyncError(e.cause.code).retryAfter : undefined))
          .find((s) => s !== undefined);
        return retryAfter === undefined ? {} : { headers: { 'Retry-After': String(retryAfter) } };
      },
      onError({ error }) {
        if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof SyncFailure)) {
          logger.error({ err: error.cause ?? error }, 'unhandled tRPC error');
        }
      },
    }),
  );

  app.use(notFound);
  app.use(errorHandler(formatBytes(config.bodyLimitBytes)));
  return app;
}
