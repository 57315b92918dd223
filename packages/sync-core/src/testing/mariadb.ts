import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { sqlStatements } from '../admin/sql-file.js';

/** The MariaDB server tests use: `UPSYNC_TEST_MYSQL_URL`, default `mysql://root@127.0.0.1:3306`. */
function testMysqlUrl(): string {
  return process.env.UPSYNC_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
}

export interface TestDatabase {
  /** `mysql://…/<databaseName>` for createOrm. */
  url: string;
  databaseName: string;
  /** Drops the database (idempotent). */
  drop(): Promise<void>;
}

/** Which ISPyB schema a test database has: the official one, or Diamond Light Source's flavour. */
type IspybFlavour = 'official' | 'diamond';

const ISPYB_DDL: Record<IspybFlavour, string> = {
  official: 'ispyb-tables.mariadb.sql',
  diamond: 'ispyb-tables.diamond.mariadb.sql',
};

/**
 * A fresh MariaDB database `upsync_t_<name>_<random>` built from the project's DDL: ISPyB's eight
 * tables (official flavour unless `flavour` says otherwise) and (unless `serviceTables: false`)
 * upsync's lock table.
 */
export async function createTestDatabase(
  name: string,
  options: { serviceTables?: boolean; flavour?: IspybFlavour; serverUrl?: string } = {},
): Promise<TestDatabase> {
  const server = options.serverUrl ?? testMysqlUrl();
  const databaseName =
    `upsync_t_${name.replace(/[^A-Za-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`.slice(0, 64);
  const conn = await mysql.createConnection(server);
  try {
    await conn.query(`CREATE DATABASE \`${databaseName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
    await conn.query(`USE \`${databaseName}\``);
    // the official BLSession.lastUpdate default is the zero date: allow it for the DDL only
    await conn.query("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'");
    const files = [
      ISPYB_DDL[options.flavour ?? 'official'],
      ...(options.serviceTables === false ? [] : ['upsync-tables.mariadb.sql']),
    ];
    for (const file of files) for (const sql of sqlStatements(file)) await conn.query(sql);
  } finally {
    await conn.end();
  }
  const base = new URL(server);
  base.pathname = `/${databaseName}`;
  const drop = async () => {
    const conn = await mysql.createConnection(server);
    try {
      await conn.query(`DROP DATABASE IF EXISTS \`${databaseName}\``);
    } finally {
      await conn.end();
    }
  };
  return { url: base.toString(), databaseName, drop };
}

/**
 * Whether MariaDB answers. If not: a loud message and `false` (tests skip), except with `CI=true`,
 * where unreachability throws, so the suite fails instead of passing silently.
 */
export async function mariadbReachable(): Promise<boolean> {
  try {
    const conn = await mysql.createConnection({ uri: testMysqlUrl(), connectTimeout: 3000 });
    await conn.end();
    return true;
  } catch (error) {
    return unreachable(
      `MariaDB at ${testMysqlUrl()} is unreachable (${(error as Error).message})`,
      'database-backed tests',
      'SKIPPING the MariaDB-backed tests. Set UPSYNC_TEST_MYSQL_URL or start MariaDB.',
    );
  }
}

/** A loud message and `false` (the tests skip); with `CI=true`, an error (they cannot be skipped there). */
function unreachable(message: string, tests: string, skipping: string): false {
  if (process.env.CI === 'true') throw new Error(`${message}: ${tests} cannot be skipped in CI`);
  console.error(`\n${'!'.repeat(78)}\n!!! ${message}\n!!! ${skipping}\n${'!'.repeat(78)}\n`);
  return false;
}

/**
 * The three-node Galera cluster of the cluster suites (scripts/galera-cluster.sh):
 * `UPSYNC_TEST_GALERA_URLS`, comma-separated, default its three nodes on 127.0.0.1:3311–3313.
 */
export function testGaleraUrls(): string[] {
  const urls =
    process.env.UPSYNC_TEST_GALERA_URLS ??
    'mysql://root@127.0.0.1:3311,mysql://root@127.0.0.1:3312,mysql://root@127.0.0.1:3313';
  return urls
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
}

/**
 * Whether every node of the test cluster answers and has joined it (wsrep_ready, cluster size =
 * node count). If not: a loud message and `false` (the cluster suites skip), except with
 * `CI=true`, where it throws (`.ci/run` starts the cluster).
 */
export async function galeraReachable(): Promise<boolean> {
  const urls = testGaleraUrls();
  try {
    for (const url of urls) {
      const conn = await mysql.createConnection({ uri: url, connectTimeout: 3000 });
      try {
        const [rows] = await conn.query<mysql.RowDataPacket[]>(
          "SELECT VARIABLE_NAME AS name, VARIABLE_VALUE AS value FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('WSREP_READY', 'WSREP_CLUSTER_SIZE')",
        );
        const status = Object.fromEntries(rows.map((r) => [String(r.name).toLowerCase(), String(r.value)]));
        if (status.wsrep_ready !== 'ON') throw new Error(`${url} is not a ready Galera node`);
        if (Number(status.wsrep_cluster_size) !== urls.length)
          throw new Error(`${url}: cluster size ${status.wsrep_cluster_size}, expected ${urls.length}`);
      } finally {
        await conn.end();
      }
    }
    return true;
  } catch (error) {
    return unreachable(
      `the Galera test cluster (${urls.join(', ')}) is not answering (${(error as Error).message})`,
      'the cluster tests',
      'SKIPPING the Galera cluster tests. Start it: scripts/galera-cluster.sh start',
    );
  }
}
