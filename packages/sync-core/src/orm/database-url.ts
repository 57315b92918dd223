import { resolve } from 'node:path';

export type Dialect = 'mysql' | 'sqlite';

export interface DatabaseTarget {
  dialect: Dialect;
  /** mysql: the URL as given; sqlite: the absolute file path (or ':memory:'). */
  location: string;
}

/** The embedded database used when nothing else is configured. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/upsync.sqlite';

/** Reads `mysql://…` / `mariadb://…`, `sqlite:path` / `sqlite://path`, or a bare file path. */
export function parseDatabaseUrl(url: string = DEFAULT_DATABASE_URL): DatabaseTarget {
  const text = url.trim();
  if (/^(mysql|mariadb):\/\//i.test(text)) {
    return { dialect: 'mysql', location: text.replace(/^mariadb:/i, 'mysql:') };
  }
  const path = text.replace(/^sqlite:(\/\/)?/i, '');
  if (path === '') throw new Error('the sqlite database URL has no file path');
  return { dialect: 'sqlite', location: path === ':memory:' ? path : resolve(path) };
}

/** The database name of a mysql URL (its path), or undefined. */
export function mysqlDatabaseName(url: string): string | undefined {
  const name = new URL(url).pathname.replace(/^\//, '');
  return name === '' ? undefined : decodeURIComponent(name);
}
