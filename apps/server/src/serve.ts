import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { closeOrm } from '@upsync/sync-core';
import { createApp } from './app.js';
import { configuredTokens, type ServiceToken, sha256 } from './auth/service-tokens.js';
import { ConfigError, type ServerConfig } from './config.js';
import { DEV_TOKEN_NAME, devTokenBanner, ensureDevToken } from './dev-token.js';
import { createHttpServer } from './http/server-limits.js';
import { createLogger, type Logger } from './logger.js';
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
  const app = createApp({ orm, config, logger, tokens });
  const server: Server = await new Promise((resolve, reject) => {
    const s = createHttpServer(app, config.http);
    s.once('error', reject);
    s.listen(config.port, config.host, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    { host: config.host, port, database: describeDatabase(config), tokens: tokens.map((t) => t.name) },
    'upsync listening',
  );
  // On stderr, apart from the JSON log on stdout; the secret itself only on the start that created it.
  if (dev) process.stderr.write(`${devTokenBanner({ ...dev, host: config.host, port })}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
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
    logger.info('stopped');
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return { server, port, shutdown };
}
