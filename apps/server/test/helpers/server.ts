import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeOrm, createOrm, type UpsyncOrm } from '@upsync/sync-core';
import { createApp } from '../../src/app.js';
import { type ServiceToken, sha256, tokensFromPairs } from '../../src/auth/service-tokens.js';
import { loadConfig } from '../../src/config.js';
import { createHttpServer } from '../../src/http/server-limits.js';
import { logStatements } from '../../src/log-statements.js';
import { createLogger } from '../../src/logger.js';

export const PORTAL_SECRET = 'portal-secret-0123456789abcdef';
export const VIEWER_SECRET = 'viewer-secret-0123456789abcdef';
export const JWT_SECRET = 'py-ispyb-SECRET_KEY-for-tests-0123456789';
/** A token with the default scope only (`sync`). */
export const SYNCER_SECRET = 'syncer-secret-0123456789abcdef';

export interface TestServer {
  url: string;
  orm: UpsyncOrm;
  server: Server;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  rawLogs: string[];
  close(): Promise<void>;
}

/** A temporary embedded SQLite database URL. */
export async function sqliteUrl(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'upsync-server-'));
  return `sqlite:${path.join(dir, 'upsync.sqlite')}`;
}

/**
 * The real app on a real port (0) against a real database: tokens `portal` (every scope), `syncer`
 * (the default: sync) and `viewer` (no scope), py-ISPyB JWTs with JWT_SECRET.
 */
export async function startTestServer(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<TestServer> {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    UPSYNC_API_TOKENS: `portal:${PORTAL_SECRET}:sync+read+reconcile,syncer:${SYNCER_SECRET}`,
    UPSYNC_JWT_SECRET: JWT_SECRET,
    ...env,
  });
  const rawLogs: string[] = [];
  const logger = createLogger({
    level: config.logLevel,
    destination: { write: (line: string) => void rawLogs.push(line) },
  });
  const tokens: ServiceToken[] = [
    ...tokensFromPairs(config.apiTokens),
    { name: 'viewer', sha256: sha256(VIEWER_SECRET), scopes: [] },
  ];
  const orm = await createOrm({
    databaseUrl: config.databaseUrl,
    timeZone: config.timeZone,
    missingColumns: config.missingColumns,
  });
  logStatements(orm, logger);
  const server = createHttpServer(createApp({ orm, config, logger, tokens }), config.http).listen(
    0,
    '127.0.0.1',
  );
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    orm,
    server,
    rawLogs,
    get logs() {
      return rawLogs.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeOrm(orm);
    },
  };
}

export const bearer = (secret: string = PORTAL_SECRET) => ({ Authorization: `Bearer ${secret}` });
