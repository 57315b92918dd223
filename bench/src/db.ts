import mysql from 'mysql2/promise';

/** The MariaDB server the bench and the reliability suite use (same variable as sync-core's tests). */
export function serverUrl(): string {
  return process.env.UPSYNC_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
}

/** URL of one database on that server. */
export function databaseUrl(database: string, base = serverUrl()): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A plain mysql2 connection (for prefill, checks and KILLs), not the sync's pool. */
export async function connect(database?: string, base = serverUrl()): Promise<mysql.Connection> {
  const url = new URL(base);
  return mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database,
    multipleStatements: true,
    dateStrings: true,
    supportBigNumbers: true,
  });
}

/** Drops a database this suite created (names are checked against the suite's prefixes). */
export async function dropDatabase(name: string, base = serverUrl()): Promise<void> {
  if (!/^upsync_(bench|t_rel)_[A-Za-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  const conn = await connect(undefined, base);
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await conn.end();
  }
}

/** Row count of one table. */
export async function countRows(conn: mysql.Connection, table: string): Promise<number> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${table}\``);
  return Number(rows[0]!.n);
}
