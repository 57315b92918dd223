import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createApp, createLogger, loadConfig, tokensFromPairs } from '@upsync/server';
import { closeOrm, createOrm, setupServiceTables, type UpsyncOrm } from '@upsync/sync-core';

/** The console's three kinds of operator: one that may replay, one that only looks, one that only syncs. */
export const TOKENS = {
  operator: 'console-operator-secret-0123456789',
  viewer: 'console-viewer-secret-0123456789',
  pusher: 'console-pusher-secret-0123456789',
} as const;

export interface ConsoleServer {
  url: string;
  orm: UpsyncOrm;
  /** The console's own address on that server. */
  consoleUrl: string;
  close(): Promise<void>;
}

/**
 * The real upsync server on 127.0.0.1:0, the way `npm start` runs it plus stored payloads
 * (UPSYNC_HISTORY_PAYLOADS=true: the console's replay needs them), with tokens `operator`
 * (sync + read), `viewer` (read) and `pusher` (sync). It serves the console's built files
 * (apps/console/dist) at /console/. On MariaDB, upsync's own tables are created first (what
 * `npm run db:setup` does).
 */
export async function startConsoleServer(databaseUrl: string): Promise<ConsoleServer> {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    UPSYNC_HISTORY_PAYLOADS: 'true',
    UPSYNC_API_TOKENS: [
      `operator:${TOKENS.operator}:sync+read`,
      `viewer:${TOKENS.viewer}:read`,
      `pusher:${TOKENS.pusher}:sync`,
    ].join(','),
  });
  const orm = await createOrm({ databaseUrl: config.databaseUrl, timeZone: config.timeZone });
  if (orm.dialect !== 'sqlite') await setupServiceTables(orm);
  const app = createApp({
    orm,
    config,
    logger: createLogger({ level: 'silent' }),
    tokens: tokensFromPairs(config.apiTokens),
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    orm,
    consoleUrl: `${url}/console/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeOrm(orm);
    },
  };
}
