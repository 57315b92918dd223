import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { connect, databaseUrl, dropDatabase, serverUrl } from './db.js';

/** A database the bench or the suite made: its name and mysql:// URL. */
export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

const SQL_DIR = fileURLToPath(new URL('../../packages/sync-core/sql/', import.meta.url));

/**
 * A fresh database `name` built from sync-core's DDL (ISPyB's eight tables and upsync's own),
 * with the sql_mode the DDL needs (BLSession.lastUpdate keeps the official zero-date default).
 */
export async function createDatabase(name: string, base = serverUrl()): Promise<BenchDatabase> {
  if (!/^upsync_(bench|t_rel)_[A-Za-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  const ddl = await Promise.all(
    ['ispyb-tables.mariadb.sql', 'upsync-tables.mariadb.sql'].map((f) => readFile(`${SQL_DIR}${f}`, 'utf8')),
  );
  const conn = await connect(undefined, base);
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.query(`CREATE DATABASE \`${name}\``);
    await conn.query(`USE \`${name}\``);
    await conn.query("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'");
    for (const sql of ddl) await conn.query(sql);
  } finally {
    await conn.end();
  }
  return { name, url: databaseUrl(name, base), drop: () => dropDatabase(name, base) };
}
