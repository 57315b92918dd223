import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createUpsyncClient, type UpsyncClient } from '@upsync/client';
import { ISPYB_TABLES } from '@upsync/schema';
import { createTestDatabase, type TestDatabase, testGaleraUrls } from '@upsync/sync-core/testing';
import mysql from 'mysql2/promise';
import { HttpClient, type HttpResult } from '../src/http-client.js';
import { type ServerProcess, startServerProcess } from '../src/server-process.js';
import { BENCH_TOKEN, SYNC_PATH } from '../src/upsync.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/galera-cluster.sh', import.meta.url));

/** Runs scripts/galera-cluster.sh (kill N, restart N, status), bounded in time. */
export async function clusterScript(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', [SCRIPT, ...args], { timeout: 120_000 });
  return stdout;
}

/** One replica: a server process on one node, a client, an admin connection to that node. */
export interface Replica {
  node: number;
  /** The node's URL with the test database. */
  url: string;
  server: ServerProcess;
  /** Raw HTTP (every answer as it is). */
  client: HttpClient;
  /** The SDK with its retries on (network errors, time-outs and 503s, with backoff). */
  sdk: UpsyncClient;
  /** Retries the SDK made. */
  sdkRetries: number;
  conn: mysql.Connection;
}

/** A fresh database on the cluster (created on node 1, replicated) and one server per node. */
export async function startReplicas(
  name: string,
): Promise<{ db: TestDatabase; replicas: Replica[]; close(): Promise<void> }> {
  const urls = testGaleraUrls();
  const db = await createTestDatabase(name, { serverUrl: urls[0]! });
  const replicas: Replica[] = [];
  const close = async () => {
    for (const r of replicas) r.client.close();
    await Promise.all(replicas.map((r) => r.server.stop()));
    await Promise.all(replicas.map((r) => r.conn.end().catch(() => {})));
    await db.drop();
  };
  try {
    for (const [i, base] of urls.entries()) {
      const url = new URL(base);
      url.pathname = `/${db.databaseName}`;
      const conn = await mysql.createConnection(url.toString());
      const server = await startServerProcess({
        DATABASE_URL: url.toString(),
        UPSYNC_API_TOKENS: `bench:${BENCH_TOKEN}`,
      });
      const replica: Replica = {
        node: i + 1,
        url: url.toString(),
        server,
        conn,
        client: new HttpClient(server.url, 16),
        sdkRetries: 0,
        sdk: createUpsyncClient({
          url: server.url,
          token: BENCH_TOKEN,
          retries: 6,
          retryDelayMs: 100,
          maxRetryDelayMs: 2_000,
          onRetry: () => {
            replica.sdkRetries++;
          },
        }),
      };
      replicas.push(replica);
    }
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
  return { db, replicas, close };
}

export function postSync(client: HttpClient, payload: unknown): Promise<HttpResult> {
  return client.request(SYNC_PATH, { body: payload, headers: { authorization: `Bearer ${BENCH_TOKEN}` } });
}

/** Waits (bounded) until every node has committed the same last seqno. */
export async function waitForSameSeqno(conns: mysql.Connection[]): Promise<void> {
  let seqnos: string[] = [];
  for (let i = 0; i < 200; i++) {
    seqnos = await Promise.all(
      conns.map(async (c) => {
        const [rows] = await c.query<mysql.RowDataPacket[]>("SHOW STATUS LIKE 'wsrep_last_committed'");
        return String(rows[0]!.Value);
      }),
    );
    if (new Set(seqnos).size === 1) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nodes did not converge: last committed ${seqnos.join(', ')}`);
}

/** Each node's ordered contents of ISPyB's eight tables, hashed (after waitForSameSeqno). */
export async function nodeChecksums(conns: mysql.Connection[]): Promise<string[]> {
  await waitForSameSeqno(conns);
  return Promise.all(
    conns.map(async (c) => {
      const hash = createHash('sha256');
      for (const t of ISPYB_TABLES) {
        const [rows] = await c.query(`SELECT * FROM \`${t}\` ORDER BY 1`);
        hash.update(JSON.stringify(rows));
      }
      return hash.digest('hex');
    }),
  );
}

/** The sync retries counted by a replica's /metrics, by reason. */
export async function retriesOf(client: HttpClient): Promise<Record<string, number>> {
  const res = await client.request('/metrics', {
    method: 'GET',
    headers: { authorization: `Bearer ${BENCH_TOKEN}` },
  });
  const out: Record<string, number> = {};
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  for (const m of res.text.matchAll(/^upsync_sync_retries_total\{reason="([a-z_]+)"\} (\d+)/gm))
    out[m[1]!] = Number(m[2]);
  return out;
}
