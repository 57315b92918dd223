import { createTestDatabase } from '@upsync/sync-core/testing';
import { type BenchDatabase, createDatabase } from '../src/databases.js';
import { connect } from '../src/db.js';
import { HttpClient, type HttpResult } from '../src/http-client.js';
import { type RunningServer, SYNC_PATH, startServer, Upsync } from '../src/upsync.js';

/** A fresh database, sync-core on it, and the real app listening on 127.0.0.1:0. */
export interface Harness {
  db: BenchDatabase;
  upsync: Upsync;
  server: RunningServer;
  client: HttpClient;
  /** POSTs a payload to the REST sync route with the bench token (or `headers` instead). */
  sync(payload: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * A fresh database for suite `name`: sync-core's createTestDatabase on the shared server
 * (`upsync_t_rel_<name>_<random>`), or the same DDL on another server (`base`, e.g. a private mariadbd).
 */
export async function relDatabase(name: string, base?: string): Promise<BenchDatabase> {
  if (base) return createDatabase(`upsync_t_rel_${name}`, base);
  const db = await createTestDatabase(`rel_${name}`);
  return { name: db.databaseName, url: db.url, drop: db.drop };
}

/** Starts a harness on a fresh database for suite `name`; `env` adds server configuration. */
export async function startHarness(
  name: string,
  env: Record<string, string> = {},
  base?: string,
): Promise<Harness> {
  const db = await relDatabase(name, base);
  let upsync: Upsync | undefined;
  let server: RunningServer | undefined;
  let conn: Awaited<ReturnType<typeof connect>>;
  try {
    upsync = await Upsync.open(db.url);
    server = await startServer(upsync, env);
    conn = await connect(db.name, base);
  } catch (error) {
    // leave nothing behind when the app cannot start
    await server?.close().catch(() => {});
    await upsync?.close().catch(() => {});
    await db.drop();
    throw error;
  }
  const client = new HttpClient(server.url, 32);
  return {
    db,
    upsync,
    server,
    client,
    sync: (payload, headers) =>
      client.request(SYNC_PATH, {
        body: payload,
        headers: headers ?? { authorization: `Bearer ${server.token}` },
      }),
    query: async <T>(sql: string, params: unknown[] = []) => {
      const [rows] = await conn.query(sql, params);
      return rows as T[];
    },
    close: async () => {
      try {
        client.close();
        await server.close();
        await upsync.close();
        await conn.end();
      } finally {
        await db.drop();
      }
    },
  };
}
