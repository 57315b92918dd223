import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, loadConfig } from '@upsync/server';
import { closeOrm, createOrm } from '@upsync/sync-core';
import { pino } from 'pino';

export const SQLITE_TOKEN = 'registry-tests-secret-0123456789';

/**
 * The real upsync app on 127.0.0.1:0 on a fresh embedded SQLite database (what `npm start`
 * runs), with `env` added to its configuration (e.g. UPSYNC_CORS_ORIGINS).
 */
export async function startSqliteServer(env: Record<string, string> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'upsync-sqlite-'));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${path.join(dir, 'upsync.sqlite')}`,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const orm = await createOrm({ databaseUrl: config.databaseUrl, timeZone: config.timeZone });
  const tokens = [
    {
      name: 'registry-tests',
      sha256: createHash('sha256').update(SQLITE_TOKEN).digest(),
      scopes: ['sync', 'read'] as const,
    },
  ];
  const server = createApp({ orm, config, logger: pino({ level: 'silent' }), tokens }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeOrm(orm);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
