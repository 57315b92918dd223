import type {
  AnyEntity,
  Configuration,
  Dictionary,
  EntityData,
  EntityDictionary,
  EntityName,
  NativeInsertUpdateManyOptions,
  QueryResult,
} from '@mikro-orm/core';
import { MySqlDriver } from '@mikro-orm/mysql';
import { AbstractSqlDriver, BaseSqliteConnection, SqlitePlatform } from '@mikro-orm/sql';

/**
 * MikroORM's MySQL driver with exact ids for new rows. MikroORM 7 gives the rows of a
 * multi-row INSERT the ids `insertId + i × auto_increment_increment`, which only holds while no
 * other transaction interleaves its inserts: not under `innodb_autoinc_lock_mode=2`, which Galera
 * requires (bench/test/interleaved-ids.test.ts). Here an INSERT of rows whose id the database
 * assigns ends in `RETURNING <id>` (MariaDB ≥ 10.5: each row's own id, in VALUES order); without
 * RETURNING (MySQL), rows are inserted one at a time, where `insertId` is exact. Everything else
 * is MikroORM's.
 */
export class ReturningMySqlDriver extends MySqlDriver {
  /** Set by createOrm once the server's version is known. */
  returning = true;

  override async nativeInsertMany<T extends object>(
    entityName: EntityName<T>,
    data: EntityDictionary<T>[],
    options: NativeInsertUpdateManyOptions<T> = {},
  ): Promise<QueryResult<T>> {
    const meta = this.metadata.find(entityName);
    const pk = meta?.primaryKeys.length === 1 ? meta.getPrimaryProps()[0] : undefined;
    const generated = pk?.autoincrement && data.some((row) => (row as Dictionary)[pk.name] == null);
    // MySqlDriver's own override only computes ids (and asks the server for
    // auto_increment_increment to do so): skipped, for ids given (composite keys of link rows) as
    // for ids returned
    const insert = (rows: EntityDictionary<T>[], transform?: (sql: string) => string) =>
      AbstractSqlDriver.prototype.nativeInsertMany.call(
        this,
        entityName as never,
        rows as never,
        options as never,
        transform,
      ) as Promise<QueryResult<T>>;
    if (!pk || !generated) return insert(data);
    const field = pk.fieldNames[0]!;
    if (!this.returning) {
      if (data.length === 1) return super.nativeInsertMany(entityName, data, options);
      const rows: Dictionary[] = [];
      for (const row of data) {
        const one = await super.nativeInsertMany(entityName, [row], { ...options });
        rows.push(one.rows![0]!);
      }
      return { affectedRows: rows.length, insertId: rows[0]![field], row: rows[0], rows } as QueryResult<T>;
    }
    const returning = ` returning ${this.platform.quoteIdentifier(field)}`;
    const res = await insert(data, (sql) => sql + returning);
    // the statement returned one row per VALUES tuple, in order
    const rows = data.map((row, i) => ({ [field]: (row as Dictionary)[pk.name] ?? res.rows?.[i]?.[field] }));
    return { affectedRows: rows.length, insertId: rows[0]?.[field], row: rows[0], rows } as QueryResult<T>;
  }
}

/**
 * MikroORM's SQLite connection, where a failed statement's error carries it as `sql`, as mysql2's
 * errors do (node:sqlite's do not): the table it wrote names the failing entity kind
 * (sync/run-step.ts).
 */
class StatementNamingSqliteConnection extends BaseSqliteConnection {
  override async execute<T extends QueryResult | EntityData<AnyEntity> | EntityData<AnyEntity>[]>(
    ...args: Parameters<BaseSqliteConnection['execute']>
  ): Promise<T> {
    try {
      return await super.execute<T>(...args);
    } catch (error) {
      const [query] = args;
      if (error instanceof Error && !('sql' in error) && typeof query === 'string')
        Object.assign(error, { sql: query });
      throw error;
    }
  }
}

/**
 * MikroORM's generic SQLite driver (as `SqliteDriver`, on Node's built-in `node:sqlite`: no native
 * addon), where one multi-row INSERT holds only rows with the same columns: SQLite has no DEFAULT
 * keyword, so MikroORM would send NULL for a value one row lacks and another has, which a NOT NULL
 * column with a default (ISPyB's card values, flags) refuses. Ids come from SQLite's RETURNING
 * (MikroORM's own), group by group, back in row order.
 */
export class ColumnGroupingSqliteDriver extends AbstractSqlDriver {
  constructor(config: Configuration) {
    super(config, new SqlitePlatform(), StatementNamingSqliteConnection, ['kysely']);
  }

  override async nativeInsertMany<T extends object>(
    entityName: EntityName<T>,
    data: EntityDictionary<T>[],
    options: NativeInsertUpdateManyOptions<T> = {},
    transform?: (sql: string) => string,
  ): Promise<QueryResult<T>> {
    const groups = new Map<string, number[]>();
    data.forEach((row, i) => {
      const key = Object.keys(row)
        .filter((k) => (row as Dictionary)[k] !== undefined)
        .join('\u0000');
      const group = groups.get(key);
      if (group) group.push(i);
      else groups.set(key, [i]);
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
    return { affectedRows, insertId: undefined, row: rows[0], rows } as QueryResult<T>;
  }
}
