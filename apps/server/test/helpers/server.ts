import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeOrm, createOrm, type UpsyncOrm } from '@upsync/sync-core';
import { afterAll, beforeAll } from 'vitest';
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

/**
 * py-ISPyB's base path of the REST routes, written out as its clients call it (not imported from
 * src/rest/paths.ts: a change there must fail the tests).
 */
export const BASE = '/ispyb/api/v1/webservices/userportalsync';

/**
 * The server of a whole test file, on a fresh SQLite database: started before its tests, closed
 * after them. Read it only inside tests (it exists once the file's beforeAll has run).
 */
export function serverForFile(): TestServer {
  let srv: TestServer | undefined;
  beforeAll(async () => {
    srv = await startTestServer(await sqliteUrl());
  });
  afterAll(async () => {
    await srv?.close();
  });
  return new Proxy({} as TestServer, {
    get(_target, key) {
      if (!srv) throw new Error('the test server is read before its beforeAll ran');
      const value = srv[key as keyof TestServer];
      return typeof value === 'function' ? value.bind(srv) : value;
    },
  });
}
