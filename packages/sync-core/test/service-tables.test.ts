import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeOrm, createOrm, type UpsyncOrm } from '../src/index.js';
import { internalsOf } from '../src/orm/internals.js';
import { SERVICE_ENTITIES } from '../src/orm/service-entities.js';
import { createTestDatabase, createTestSqliteDatabase, type TestDatabase } from '../src/testing/index.js';
import { MARIADB, sql } from './support/targets.js';

// upsync's own tables are declared once (src/orm/service-entities.ts): the embedded database's are
// generated from them; sql/upsync-tables.mariadb.sql, MariaDB's DDL, must declare the same.

type Shape = Map<string, { columns: string[]; notNull: string[]; indexes: string[] }>;

/** Table → its columns, NOT NULL columns and secondary index names, as the entities declare them. */
function declared(orm: UpsyncOrm): Shape {
  const names = new Set(SERVICE_ENTITIES.map((entity) => entity.meta.tableName));
  const metas = [...internalsOf(orm).orm.getMetadata().getAll().values()].filter((m) =>
    names.has(m.tableName),
  );
  expect(metas).toHaveLength(names.size);
  return new Map(
    metas.map((meta) => {
      const props = meta.props.filter((p) => p.fieldNames?.length);
      return [
        meta.tableName,
        {
          columns: props.flatMap((p) => p.fieldNames).sort(),
          notNull: props
            .filter((p) => !p.nullable)
            .flatMap((p) => p.fieldNames)
            .sort(),
          indexes: meta.indexes.map((i) => i.name ?? '').sort(),
        },
      ];
    }),
  );
}

describe.skipIf(MARIADB.skip)('upsync-tables.mariadb.sql and the service entities', () => {
  let mariadb: TestDatabase;
  let embedded: TestDatabase;
  let orm: UpsyncOrm;
  beforeAll(async () => {
    mariadb = await createTestDatabase('service_tables');
    embedded = createTestSqliteDatabase('service_tables');
    orm = await createOrm({ databaseUrl: embedded.url });
  });
  afterAll(async () => {
    await closeOrm(orm);
    await embedded.drop();
    await mariadb.drop();
  });

  it('declare the same columns, nullability and indexes', async () => {
    const maria = await createOrm({ databaseUrl: mariadb.url });
    try {
      const tables = [...declared(orm).keys()];
      const columns = await sql<{ t: string; c: string; nullable: string }>(
        maria,
        `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, IS_NULLABLE AS nullable FROM information_schema.COLUMNS
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${tables.map(() => '?').join(', ')})`,
        tables,
      );
      const indexes = await sql<{ t: string; name: string }>(
        maria,
        `SELECT DISTINCT TABLE_NAME AS t, INDEX_NAME AS name FROM information_schema.STATISTICS
         WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY' AND TABLE_NAME IN (${tables.map(() => '?').join(', ')})`,
        tables,
      );
      const ddl: Shape = new Map(
        tables.map((t) => [
          t,
          {
            columns: columns
              .filter((r) => r.t === t)
              .map((r) => r.c)
              .sort(),
            notNull: columns
              .filter((r) => r.t === t && r.nullable === 'NO')
              .map((r) => r.c)
              .sort(),
            indexes: indexes
              .filter((r) => r.t === t)
              .map((r) => r.name)
              .sort(),
          },
        ]),
      );
      expect(ddl).toEqual(declared(orm));
    } finally {
      await closeOrm(maria);
    }
  });
});
