import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import type {
  Dictionary,
  EntityDictionary,
  NativeInsertUpdateManyOptions,
  QueryResult,
} from '@mikro-orm/core';
import { AbstractSqlDriver, MySqlDriver } from '@mikro-orm/mysql';

/**
 * MikroORM's MySQL driver with exact ids for new rows. MikroORM 6.6 gives the rows of a
 * multi-row INSERT the ids `insertId + i × auto_increment_increment`, which only holds while no
 * other transaction interleaves its inserts: not under `innodb_autoinc_lock_mode=2`, which Galera
 * requires. Here an INSERT of rows whose id the database assigns ends in `RETURNING <id>`
 * (MariaDB ≥ 10.5: each row's own id, in VALUES order); without RETURNING (MySQL), rows are
 * inserted one at a time, where `insertId` is exact. Everything else is MikroORM's.
 */
export class ReturningMySqlDriver extends MySqlDriver {
  /** Set by createOrm once the server's version is known. */
  returning = true;

  override async nativeInsertMany<T extends object>(
    entityName: string,
    data: EntityDictionary<T>[],
    options: NativeInsertUpdateManyOptions<T> = {},
    transform?: (sql: string) => string,
  ): Promise<QueryResult<T>> {
    const meta = this.metadata.find(entityName);
    const pk = meta?.primaryKeys.length === 1 ? meta.getPrimaryProps()[0] : undefined;
    const generated = pk?.autoincrement && data.some((row) => (row as Dictionary)[pk.name] == null);
    // ids given (composite keys of link rows): nothing to compute, and no need for MySqlDriver's
    // `show variables like 'auto_increment_increment'`
    if (!pk || !generated)
      return AbstractSqlDriver.prototype.nativeInsertMany.call(
        this,
        entityName,
        data,
        options,
        transform,
      ) as Promise<QueryResult<T>>;
    if (!this.returning) {
      if (data.length === 1) return super.nativeInsertMany(entityName, data, options);
      const rows: Dictionary[] = [];
      for (const row of data) {
        const one = await super.nativeInsertMany(entityName, [row], { ...options });
        rows.push(one.rows![0]!);
      }
      return {
        affectedRows: rows.length,
        insertId: rows[0]![pk.fieldNames[0]!],
        row: rows[0],
        rows,
      } as QueryResult<T>;
    }
    const field = pk.fieldNames[0]!;
    const returning = ` returning ${this.platform.quoteIdentifier(field)}`;
    const res = (await AbstractSqlDriver.prototype.nativeInsertMany.call(
      this,
      entityName,
      data,
      options,
      (sql) => (transform ? transform(sql) : sql) + returning,
    )) as unknown as Dictionary[];
    // the statement returned rows (the connection hands them over as the result itself)
    const rows = data.map((row, i) => ({ [field]: (row as Dictionary)[pk.name] ?? res[i]?.[field] }));
    return { affectedRows: rows.length, insertId: rows[0]?.[field], row: rows[0], rows } as QueryResult<T>;
  }
}

/**
 * MikroORM's SQLite driver, where one multi-row INSERT holds only rows with the same columns:
 * SQLite has no DEFAULT keyword, so MikroORM would send NULL for a value one row lacks and
 * another has, which a NOT NULL column with a default (ISPyB's card values, flags) refuses.
 * Ids come from SQLite's RETURNING (MikroORM's own), group by group, back in row order.
 */
export class ColumnGroupingSqliteDriver extends BetterSqliteDriver {
  override async nativeInsertMany<T extends object>(
    entityName: string,
    data: EntityDictionary<T>[],
    options: NativeInsertUpdateManyOptions<T> = {},
    transform?: (sql: string) => string,
  ): Promise<QueryResult<T>> {
    const groups = new Map<string, number[]>();
    data.forEach((row, i) => {
      const key = Object.keys(row)
        .filter((k) => (row as Dictionary)[k] !== undefined)
        .join('\u0000');
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    if (groups.size <= 1) return super.nativeInsertMany(entityName, data, options, transform);
    const rows: Dictionary[] = new Array(data.length);
    let affectedRows = 0;
    for (const indexes of groups.values()) {
      const res = await super.nativeInsertMany(
        entityName,
        indexes.map((i) => data[i]!),
        { ...options },
        transform,
      );
      affectedRows += res.affectedRows;
      indexes.forEach((index, j) => {
        rows[index] = res.rows?.[j] ?? {};
      });
    }
    return { affectedRows, insertId: undefined, row: rows[0], rows } as unknown as QueryResult<T>;
  }
}
