import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeOrm } from '@upsync/sync-core';
import { createApp } from './app.js';
import { configuredTokens, type ServiceToken, sha256 } from './auth/service-tokens.js';
import { ConfigError, type ServerConfig } from './config.js';
import { DEV_TOKEN_NAME, devTokenBanner, ensureDevToken } from './dev-token.js';
import { sharedCounters } from './http/rate-limit-store.js';
import { createHttpServer } from './http/server-limits.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import { openDatabase } from './open-database.js';

/** Every configured token; with none, the development token (embedded database only). */
async function resolveTokens(
  config: ServerConfig,
): Promise<{ tokens: ServiceToken[]; dev?: { secret: string; file: string; created: boolean } }> {
  const tokens = await configuredTokens(config);
  if (tokens.length > 0 || config.jwt) return { tokens };
  if (!config.embeddedDatabase) {
    throw new ConfigError(
      'Invalid configuration: UPSYNC_API_TOKENS: no token configured (set UPSYNC_API_TOKENS, UPSYNC_API_TOKENS_FILE or UPSYNC_JWT_SECRET); a development token is only created for the embedded database',
    );
  }
  const dev = await ensureDevToken(config.dataDir);
  tokens.push({ name: DEV_TOKEN_NAME, sha256: sha256(dev.secret), scopes: ['sync', 'read', 'reconcile'] });
  return { tokens, dev };
}

/** Without credentials or query strings: what a log line may say about the database. */
export function describeDatabase(config: ServerConfig): string {
  if (config.databaseUrl.startsWith('sqlite:')) return config.databaseUrl;
  try {
    const url = new URL(config.databaseUrl);
    return `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'mysql';
  }
}

/** Starts the server: database, tokens, listen, graceful shutdown on SIGTERM/SIGINT. */
export async function serve(config: ServerConfig, logger: Logger = createLogger({ level: config.logLevel })) {
  // the data dir holds the embedded database and the development token: the owner's only
  if (config.embeddedDatabase) await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const { tokens, dev } = await resolveTokens(config);
  const orm = await openDatabase(config, logger);
  const metrics = createMetrics();
  const counters = config.rateLimit.redisUrl
    ? sharedCounters(config.rateLimit.redisUrl, config.rateLimit.prefix ?? '', logger, metrics)
    : undefined;
  const stopping = new AbortController();
  const app = createApp({
    orm,
    config,
    logger,
    tokens,
    metrics,
    stopping: stopping.signal,
    ...(counters && { sharedCounters: counters }),
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = createHttpServer(app, config.http);
    s.once('error', reject);
    s.listen(config.port, config.host, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    {
      host: config.host,
      port,
      database: describeDatabase(config),
      tokens: tokens.map((t) => t.name),
      rateLimits: counters ? 'shared (Redis)' : 'per process',
    },
    'upsync listening',
  );
  // On stderr, apart from the JSON log on stdout; the secret itself only on the start that created it.
  if (dev) process.stderr.write(`${devTokenBanner({ ...dev, host: config.host, port })}\n`);

  /**
   * Graceful stop for a rolling restart behind a load balancer: /ready answers 503 at once and,
   * on SIGTERM, for `shutdownDrainMs` the server keeps serving (the balancer sees it and stops sending);
   * then it stops accepting, finishes the requests in flight (at most `shutdownTimeoutMs`),
   * closes the database pool and the Redis connection.
   */
  const shutdown = async (signal: string) => {
    if (stopping.signal.aborted) return;
    stopping.abort();
    // an orchestrator's SIGTERM drains; Ctrl-C (SIGINT) and a caller's own stop do not wait
    const drainMs = signal === 'SIGTERM' ? config.shutdownDrainMs : 0;
    logger.info({ signal, drainMs }, 'shutting down: /ready answers 503, draining');
    if (drainMs > 0) await sleep(drainMs);
    logger.info('shutting down: no new connections, finishing in-flight requests');
    const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
    // Keep-alive connections become idle as their last response ends: close them as they do.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    force.unref();
    // close() stops accepting and resolves once in-flight requests have answered.
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(force);
    clearInterval(idle);
    await closeOrm(orm);
    await counters?.close();
    logger.info('stopped');
  };
  // on a signal the process exits once stopped, even if a stray handle would keep it alive
  const onSignal = (signal: string) =>
    void shutdown(signal).finally(() => setTimeout(() => process.exit(0), 1_000).unref());
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  return { server, port, shutdown };
}
