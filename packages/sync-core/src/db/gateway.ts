import type { Dialect } from '../orm/database-url.js';
import type { LiveColumns } from '../orm/live-columns.js';
import type { Session } from './session.js';

export type Row = Record<string, unknown>;

/**
 * Thin, parameterised SQL over the transaction's session: explicit column lists (only the
 * columns this deployment has), multi-row INSERTs, UPDATEs of changed columns only.
 */
export class Gateway {
  #writes = 0;

  constructor(
    readonly session: Session,
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
    return this.session.all(sql, params);
  }

  /**
   * `part UNION ALL part …`, keeping the first row of each id. Plain UNION deduplicates in a
   * temporary table, on disk when a TEXT column is selected: ~0.4 ms a look-up (measured).
   */
  async selectUnion(parts: string[], params: unknown[], idColumn: string): Promise<Row[]> {
    const rows = await this.select(parts.join(' UNION ALL '), params);
    if (parts.length < 2) return rows;
    const seen = new Set<number>();
    return rows.filter((row) => {
      const id = Number(row[idColumn]);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  async run(sql: string, params: unknown[] = []): Promise<{ affectedRows: number; insertId: number }> {
    const result = await this.session.run(sql, params);
    if (result.affectedRows > 0) this.#writes++;
    return result;
  }

  /** `a <=> ?` (MariaDB) / `a IS ?` (SQLite): equality that also matches NULL with NULL. */
  nullSafeEq(column: string): string {
    return this.dialect === 'mysql' ? `${q(column)} <=> ?` : `${q(column)} IS ?`;
  }

  /** Inserts rows (grouped by column set, one statement per group) and returns their new ids in order. */
  async insert(table: string, idColumn: string, rows: Row[]): Promise<number[]> {
    const ids = new Array<number>(rows.length);
    if (rows.length > 0) this.#writes++;
    for (const group of this.#columnGroups(rows)) {
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

  // MariaDB/MySQL take DEFAULT for a missing value: one statement; SQLite: one per column set
  #columnGroups(rows: Row[]): { columns: string[]; rows: { index: number; row: Row }[] }[] {
    return this.dialect === 'mysql' ? unionOfColumns(rows) : groupByColumns(rows);
  }

  async #insertGroup(table: string, idColumn: string, columns: string[], rows: Row[]): Promise<number[]> {
    if (this.options.returning) {
      // RETURNING gives each row's real id, even with auto_increment_increment > 1 (Galera)
      const { sql, params } = insertStatement(table, columns, rows);
      const out = await this.select(`${sql} RETURNING ${q(idColumn)}`, params);
      return out.map((r) => Number(r[idColumn]));
    }
    // MySQL has no RETURNING and insertId + i is wrong with interleaved auto-increment: one by one
    const ids: number[] = [];
    for (const row of rows) {
      const { sql, params } = insertStatement(table, columns, [row]);
      ids.push((await this.run(sql, params)).insertId);
    }
    return ids;
  }

  /**
   * Updates the given columns of the rows matching `where` (column = value, ANDed). Nothing reads
   * an UPDATE's result: it is deferred to the next round trip (at the latest, COMMIT's), and
   * `describe` reports its failure there.
   */
  updateLater(table: string, where: Row, changes: Row, describe: (error: unknown) => unknown): void {
    const set = Object.keys(changes);
    if (set.length === 0) return;
    const cond = Object.keys(where);
    const sql = `UPDATE ${q(table)} SET ${set.map((c) => `${q(c)} = ?`).join(', ')} WHERE ${cond.map((c) => `${q(c)} = ?`).join(' AND ')}`;
    this.#writes++;
    this.session.defer(sql, [...set.map((c) => changes[c] ?? null), ...cond.map((c) => where[c])], describe);
  }

  /** Inserts rows whose ids nobody needs, deferred like `updateLater`. */
  insertLater(table: string, rows: Row[], describe: (error: unknown) => unknown): void {
    if (rows.length === 0) return;
    this.#writes++;
    for (const { columns, rows: group } of this.#columnGroups(rows)) {
      const { sql, params } = insertStatement(
        table,
        columns,
        group.map((r) => r.row),
      );
      this.session.defer(sql, params, describe);
    }
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

/** A multi-row INSERT; a value a row lacks is the column's DEFAULT. */
function insertStatement(table: string, columns: string[], rows: Row[]): { sql: string; params: unknown[] } {
  const tuple = (row: Row) => `(${columns.map((c) => (row[c] === undefined ? 'DEFAULT' : '?')).join(', ')})`;
  return {
    sql: `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES ${rows.map(tuple).join(', ')}`,
    params: rows.flatMap((row) => columns.filter((c) => row[c] !== undefined).map((c) => row[c])),
  };
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
