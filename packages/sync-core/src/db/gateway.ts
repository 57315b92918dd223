import type { SqlEntityManager } from '@mikro-orm/knex';
import type { Dialect } from '../orm/database-url.js';
import type { LiveColumns } from '../orm/live-columns.js';

export type Row = Record<string, unknown>;

/**
 * Thin, parameterised SQL over the transaction's EntityManager: explicit column lists (only the
 * columns this deployment has), multi-row INSERTs, UPDATEs of changed columns only.
 */
export class Gateway {
  #writes = 0;

  constructor(
    readonly em: SqlEntityManager,
    readonly dialect: Dialect,
    readonly options: { returning: boolean; columns: LiveColumns },
  ) {}

  /** How many statements of this transaction modified rows (the lock table's aside). */
  get writes(): number {
    return this.#writes;
  }

  /** Whether the live database has this column. */
  has(table: string, column: string): boolean {
    return this.options.columns.get(table)?.has(column) ?? false;
  }

  /** The subset of `columns` that exists in `table`. */
  present(table: string, columns: readonly string[]): string[] {
    return columns.filter((c) => this.has(table, c));
  }

  async select(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.em.execute(sql, params, 'all')) as Row[];
  }

  async run(sql: string, params: unknown[] = []): Promise<{ affectedRows: number; insertId: number }> {
    const result = (await this.em.execute(sql, params, 'run')) as { affectedRows: number; insertId: number };
    if (result.affectedRows > 0) this.#writes++;
    return result;
  }

  /** `a <=> ?` (MariaDB) / `a IS ?` (SQLite): equality that also matches NULL with NULL. */
  nullSafeEq(column: string): string {
    return this.dialect === 'mysql' ? `${q(column)} <=> ?` : `${q(column)} IS ?`;
  }

  /** Inserts rows (grouped by column set, one statement per group) and returns their new ids in order. */
  async insert(table: string, idColumn: string | null, rows: Row[]): Promise<number[]> {
    const ids = new Array<number>(rows.length);
    if (rows.length > 0) this.#writes++;
    // MariaDB/MySQL take DEFAULT for a missing value: one statement; SQLite: one per column set
    const groups = this.dialect === 'mysql' ? unionOfColumns(rows) : groupByColumns(rows);
    for (const group of groups) {
      const inserted = await this.#insertGroup(
        table,
        idColumn,
        group.columns,
        group.rows.map((r) => r.row),
      );
      group.rows.forEach((r, i) => {
        ids[r.index] = inserted[i] ?? 0;
      });
    }
    return ids;
  }

  async #insertGroup(
    table: string,
    idColumn: string | null,
    columns: string[],
    rows: Row[],
  ): Promise<number[]> {
    const head = `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES `;
    const tuple = (row: Row) =>
      `(${columns.map((c) => (row[c] === undefined ? 'DEFAULT' : '?')).join(', ')})`;
    const tuples = (chunk: Row[]) => chunk.map(tuple).join(', ');
    const values = (chunk: Row[]) =>
      chunk.flatMap((row) => columns.filter((c) => row[c] !== undefined).map((c) => row[c]));
    if (idColumn === null) {
      await this.run(head + tuples(rows), values(rows));
      return [];
    }
    if (this.options.returning) {
      // RETURNING gives each row's real id, even with auto_increment_increment > 1 (Galera)
      const out = await this.select(`${head}${tuples(rows)} RETURNING ${q(idColumn)}`, values(rows));
      return out.map((r) => Number(r[idColumn]));
    }
    // MySQL has no RETURNING and insertId + i is wrong with interleaved auto-increment: one by one
    const ids: number[] = [];
    for (const row of rows) ids.push((await this.run(head + tuples([row]), values([row]))).insertId);
    return ids;
  }

  /** Updates the given columns of the rows matching `where` (column = value, ANDed). */
  async update(table: string, where: Row, changes: Row): Promise<void> {
    const set = Object.keys(changes);
    if (set.length === 0) return;
    const cond = Object.keys(where);
    const sql = `UPDATE ${q(table)} SET ${set.map((c) => `${q(c)} = ?`).join(', ')} WHERE ${cond.map((c) => `${q(c)} = ?`).join(' AND ')}`;
    await this.run(sql, [...set.map((c) => changes[c] ?? null), ...cond.map((c) => where[c])]);
  }
}

/** Quotes an identifier (backticks work on MariaDB, MySQL and SQLite). */
export function q(identifier: string): string {
  return `\`${identifier.replaceAll('`', '``')}\``;
}

/** `?, ?, ?` for n values. */
export function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

function unionOfColumns(rows: Row[]): { columns: string[]; rows: { index: number; row: Row }[] }[] {
  if (rows.length === 0) return [];
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row).filter((c) => row[c] !== undefined)))];
  return [{ columns, rows: rows.map((row, index) => ({ index, row })) }];
}

function groupByColumns(rows: Row[]): { columns: string[]; rows: { index: number; row: Row }[] }[] {
  const groups = new Map<string, { columns: string[]; rows: { index: number; row: Row }[] }>();
  rows.forEach((row, index) => {
    const columns = Object.keys(row).filter((c) => row[c] !== undefined);
    const key = columns.join('\u0000');
    if (!groups.has(key)) groups.set(key, { columns, rows: [] });
    groups.get(key)!.rows.push({ index, row });
  });
  return [...groups.values()];
}
