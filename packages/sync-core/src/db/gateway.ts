import type { Dialect } from '../orm/database-url.js';
import type { LiveColumns } from '../orm/live-columns.js';
import { NEW_IDS_VARIABLE, NewIds } from './new-ids.js';
import type { Session } from './session.js';

export type Row = Record<string, unknown>;

/** Columns that hold another row's id: the only places a provisional id (new-ids.ts) can appear. */
const REFERENCE_COLUMNS = new Set(['laboratoryId', 'personId', 'proposalId', 'sessionId']);

/**
 * Thin, parameterised SQL over the transaction's session: explicit column lists (only the
 * columns this deployment has), multi-row INSERTs, UPDATEs of changed columns only. Writes are
 * queued and travel with the next round trip; new rows get provisional ids (new-ids.ts).
 */
export class Gateway {
  #writes = 0;
  readonly newIds = new NewIds();

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

  /** `a <=> ?` (MariaDB) / `a IS ?` (SQLite): equality that also matches NULL with NULL. */
  nullSafeEq(column: string): string {
    return this.dialect === 'mysql' ? `${q(column)} <=> ?` : `${q(column)} IS ?`;
  }

  /**
   * Queues the INSERT of rows whose ids later statements or the result need, and returns their
   * provisional ids at once (new-ids.ts): the INSERT travels with the next round trip, and
   * statements referencing those ids may travel with it. `describe` reports its failure.
   */
  insertNew(table: string, idColumn: string, rows: Row[], describe: (error: unknown) => unknown): number[] {
    const ids = new Array<number>(rows.length);
    if (rows.length === 0) return ids;
    this.#writes++;
    // only ids that other rows reference are waited for or put in the variable (not a card's)
    const referenced = REFERENCE_COLUMNS.has(idColumn);
    for (const group of this.#columnGroups(rows)) {
      if (!this.options.returning) {
        // MySQL has no RETURNING and insertId + i is wrong with interleaved auto-increment: one by one
        for (const r of group.rows) {
          const [ref] = this.newIds.allocate(1, false, referenced).refs;
          const { sql, params } = this.#insertStatement(table, group.columns, [r.row]);
          this.session.defer(sql, params, {
            describe,
            onResult: (out) => {
              ref!.value = Number((out as { insertId: unknown }).insertId);
            },
          });
          ids[r.index] = ref!.provisional;
        }
        continue;
      }
      // RETURNING gives each row's real id, even with auto_increment_increment > 1 (Galera); on
      // MariaDB it also appends them to the variable that later statements of the batch read
      const { refs, inlined, first } = this.newIds.allocate(
        group.rows.length,
        this.dialect === 'mysql' && referenced,
        referenced,
      );
      if (first) this.session.defer(`SET ${NEW_IDS_VARIABLE} = NULL`);
      const { sql, params } = this.#insertStatement(
        table,
        group.columns,
        group.rows.map((r) => r.row),
      );
      const returning = inlined
        ? `${q(idColumn)}, ${NEW_IDS_VARIABLE} := CONCAT_WS(',', ${NEW_IDS_VARIABLE}, ${q(idColumn)})`
        : q(idColumn);
      this.session.defer(`${sql} RETURNING ${returning}`, params, {
        describe,
        rows: true,
        onResult: (out) => {
          (out as Row[]).forEach((row, i) => {
            if (refs[i]) refs[i].value = Number(row[idColumn]);
          });
        },
      });
      group.rows.forEach((r, i) => {
        ids[r.index] = refs[i]!.provisional;
      });
    }
    return ids;
  }

  /** Inserts rows whose ids nobody needs, deferred like `updateLater`. */
  insertLater(table: string, rows: Row[], describe: (error: unknown) => unknown): void {
    if (rows.length === 0) return;
    this.#writes++;
    for (const { columns, rows: group } of this.#columnGroups(rows)) {
      const { sql, params } = this.#insertStatement(
        table,
        columns,
        group.map((r) => r.row),
      );
      this.session.defer(sql, params, { describe });
    }
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
    const params = [
      ...set.map((c) => this.#value(c, changes[c] ?? null)),
      ...cond.map((c) => this.#value(c, where[c])),
    ];
    this.session.defer(sql, params, { describe });
  }

  /** A DELETE (of rows whose ids are real), deferred like `updateLater`. */
  deleteLater(sql: string, params: unknown[], describe: (error: unknown) => unknown): void {
    this.#writes++;
    this.session.defer(sql, params, { describe });
  }

  /**
   * Sends what is queued if some queued INSERT's ids cannot be referenced in the same round trip
   * (new-ids.ts): called between steps whose rows reference the previous step's new rows. On
   * MariaDB, for a payload of usual size, there is nothing to do.
   */
  async settle(): Promise<void> {
    if (this.newIds.pending) await this.session.flush();
  }

  /** The real id behind a provisional one, once the transaction's statements have returned. */
  realId(id: number): number {
    return this.newIds.real(id);
  }

  // a provisional id in a column that references another row is sent as a reference to that row
  #value(column: string, value: unknown): unknown {
    return REFERENCE_COLUMNS.has(column) ? (this.newIds.ref(value) ?? value) : value;
  }

  // MariaDB/MySQL take DEFAULT for a missing value: one statement; SQLite: one per column set
  #columnGroups(rows: Row[]): { columns: string[]; rows: { index: number; row: Row }[] }[] {
    return this.dialect === 'mysql' ? unionOfColumns(rows) : groupByColumns(rows);
  }

  /** A multi-row INSERT; a value a row lacks is the column's DEFAULT. */
  #insertStatement(table: string, columns: string[], rows: Row[]): { sql: string; params: unknown[] } {
    const tuple = (row: Row) =>
      `(${columns.map((c) => (row[c] === undefined ? 'DEFAULT' : '?')).join(', ')})`;
    return {
      sql: `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES ${rows.map(tuple).join(', ')}`,
      params: rows.flatMap((row) =>
        columns.filter((c) => row[c] !== undefined).map((c) => this.#value(c, row[c])),
      ),
    };
  }
}

/** Quotes an identifier (backticks work on MariaDB, MySQL and SQLite). */
export function q(identifier: string): string {
  return `\`${identifier.replaceAll('`', '``')}\``;
}

/** `a`.`x`, `a`.`y`: columns of table alias `alias`, named as the columns themselves in the result. */
export function joined(alias: string, columns: readonly string[]): string {
  return columns.map((c) => `${alias}.${q(c)}`).join(', ');
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
