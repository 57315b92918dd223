/** One SQL statement and its values (formatted by MikroORM's platform, as every query it sends). */
export interface Statement {
  sql: string;
  params: readonly unknown[];
}

/** Quotes an identifier (backticks work on MariaDB, MySQL and SQLite). */
export function q(identifier: string): string {
  return `\`${identifier.replaceAll('`', '``')}\``;
}

/** `?, ?, ?` for n values. */
export function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
