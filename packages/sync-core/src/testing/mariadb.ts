import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { sqlStatements } from '../admin/sql-file.js';

/** The MariaDB server tests use: `UPSYNC_TEST_MYSQL_URL`, default `mysql://root@127.0.0.1:3306`. */
export function testMysqlUrl(): string {
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
export type IspybFlavour = 'official' | 'diamond';

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
  options: { serviceTables?: boolean; flavour?: IspybFlavour } = {},
): Promise<TestDatabase> {
  const databaseName =
    `upsync_t_${name.replace(/[^A-Za-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`.slice(0, 64);
  const conn = await mysql.createConnection(testMysqlUrl());
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
  const base = new URL(testMysqlUrl());
  base.pathname = `/${databaseName}`;
  return { url: base.toString(), databaseName, drop: () => dropTestDatabase(databaseName) };
}

async function dropTestDatabase(databaseName: string): Promise<void> {
  if (!databaseName.startsWith('upsync_t_'))
    throw new Error('refusing to drop a database not created by tests');
  const conn = await mysql.createConnection(testMysqlUrl());
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${databaseName}\``);
  } finally {
    await conn.end();
  }
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
    const message = `MariaDB at ${testMysqlUrl()} is unreachable (${(error as Error).message})`;
    if (process.env.CI === 'true')
      throw new Error(`${message}: database-backed tests cannot be skipped in CI`);
    console.error(
      `\n${'!'.repeat(78)}\n!!! ${message}\n!!! SKIPPING the MariaDB-backed tests. Set UPSYNC_TEST_MYSQL_URL or start MariaDB.\n${'!'.repeat(78)}\n`,
    );
    return false;
  }
}
