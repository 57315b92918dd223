import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ISPYB_TABLES } from '@upsync/schema';
import { createApp, loadConfig } from '@upsync/server';
import { closeOrm, createOrm } from '@upsync/sync-core';
import { createTestDatabase, mariadbReachable } from '@upsync/sync-core/testing';
import mysql from 'mysql2/promise';
import { pino } from 'pino';

export const TOKEN = 'client-tests-secret-0123456789';

/** Whether MariaDB answers: skips loudly when it does not, fails with CI=true. */
export const mariadb = await mariadbReachable();

/** Lets a test intercept a request before the app sees it; return true when it answered itself. */
export type RequestHook = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The real upsync app (createApp) on port 0, against a fresh MariaDB database
 * `upsync_t_client_<name>_…` built from the project's ISPyB DDL.
 */
export async function startRealServer(name: string, hook?: RequestHook) {
  const database = await createTestDatabase(`client_${name}`);
  const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  const orm = await createOrm({ databaseUrl: config.databaseUrl, timeZone: config.timeZone });
  const tokens = [
    {
      name: 'client-tests',
      sha256: createHash('sha256').update(TOKEN).digest(),
      scopes: ['sync', 'read', 'reconcile'] as const,
    },
  ];
  const app = createApp({ orm, config, logger: pino({ level: 'silent' }), tokens });
  const server = createServer((req, res) => {
    if (!hook?.(req, res)) app(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const sql = await mysql.createConnection(database.url);
  let listening = true;

  /** Stops accepting connections and cuts the open ones, as a crashed server would. */
  const stop = async () => {
    if (!listening) return;
    listening = false;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    /** Runs one SQL query on the test database. */
    query: async <T = Record<string, unknown>>(statement: string, params: unknown[] = []) =>
      (await sql.query(statement, params))[0] as T[],
    /** Row counts of the ISPyB tables, for "nothing changed" assertions. */
    counts: async () => {
      const out: Record<string, number> = {};
      for (const table of ISPYB_TABLES) {
        const [row] = (await sql.query(`SELECT COUNT(*) AS n FROM \`${table}\``))[0] as Array<{ n: number }>;
        out[table] = Number(row?.n);
      }
      return out;
    },
    stop,
    close: async () => {
      await stop();
      await sql.end();
      await closeOrm(orm);
      await database.drop();
    },
  };
}

export type RealServer = Awaited<ReturnType<typeof startRealServer>>;
