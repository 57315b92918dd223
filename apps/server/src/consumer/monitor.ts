import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkReady, type UpsyncOrm } from '@upsync/sync-core';
import express from 'express';
import { createAuthenticator } from '../auth/authenticate.js';
import { configuredTokens } from '../auth/service-tokens.js';
import { ConfigError, type ServerConfig } from '../config.js';
import { healthRoutes } from '../health.js';
import { errorMiddleware, notFound } from '../http/error-middleware.js';
import { cachedReadiness } from '../http/ready-cache.js';
import { requestLog } from '../http/request-log.js';
import { requireAuth } from '../http/require-auth.js';
import { securityHeaders } from '../http/security-headers.js';
import type { Logger } from '../logger.js';
import { type Metrics, metricsHandler } from '../metrics.js';
import type { Consumer } from './consumer.js';
import { registerConsumerMetrics } from './consumer-metrics.js';

export interface MonitorDeps {
  config: ServerConfig;
  /** UPSYNC_AMQP_MONITOR_PORT (0: any free port; the one taken is returned). */
  port: number;
  orm: UpsyncOrm;
  /** Undefined until the consumer first reached the broker. */
  consumer: () => Consumer | undefined;
  metrics: Metrics;
  logger: Logger;
}

/**
 * The consumer's HTTP listener on HOST:UPSYNC_AMQP_MONITOR_PORT, for probes and Prometheus:
 * `/health` (the process answers), `/ready` (the database is ready and the broker connected) and
 * `/metrics` (the syncs' metrics and the consumer's own); /ready and /metrics need a token unless
 * UPSYNC_READY_PUBLIC / UPSYNC_METRICS_PUBLIC say otherwise, as on the server. /ready is checked
 * at most once a second.
 */
export async function startMonitor(deps: MonitorDeps): Promise<{ port: number; close(): Promise<void> }> {
  const { config, port, orm, consumer, metrics, logger } = deps;
  registerConsumerMetrics(metrics.registry, consumer);
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(logger, metrics));
  app.use(securityHeaders());
  const tokenRequired =
    config.readyPublic && config.metricsPublic ? [] : [requireAuth(await authenticator(config), [])];
  if (!config.readyPublic) app.use('/ready', ...tokenRequired);
  app.use(
    healthRoutes(
      cachedReadiness(async () => {
        const { ok, problems } = await checkReady(orm);
        if (!ok) return { ready: false, detail: problems.join('; ') };
        if (!consumer()?.connected) return { ready: false, detail: 'not connected to the broker' };
        return { ready: true };
      }),
    ),
  );
  app.get('/metrics', ...(config.metricsPublic ? [] : tokenRequired), metricsHandler(metrics));
  app.use(notFound);
  app.use(errorMiddleware());
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, config.host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** /ready and /metrics behind a token: the server's tokens (never a development token: nothing to print it to). */
async function authenticator(config: ServerConfig) {
  const tokens = await configuredTokens(config);
  if (tokens.length === 0 && !config.jwt) {
    throw new ConfigError(
      'Invalid configuration: UPSYNC_METRICS_PUBLIC / UPSYNC_READY_PUBLIC: false (the default) needs a token for the /metrics and /ready of `consume` (set UPSYNC_API_TOKENS, UPSYNC_API_TOKENS_FILE or UPSYNC_JWT_SECRET, or set both to true)',
    );
  }
  return createAuthenticator({ tokens, jwt: config.jwt });
}
