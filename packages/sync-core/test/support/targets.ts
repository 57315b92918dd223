import { readFileSync } from 'node:fs';
import { closeOrm, createOrm, setupServiceTables, type UpsyncOrm } from '../../src/index.js';
import { internalsOf } from '../../src/orm/internals.js';
import {
  createTestDatabase,
  createTestSqliteDatabase,
  mariadbReachable,
  type TestDatabase,
} from '../../src/testing/index.js';

const reachable = await mariadbReachable();

export interface Target {
  dialect: 'mysql' | 'sqlite';
  skip: boolean;
  database(file: string): Promise<TestDatabase>;
}

/** The databases a suite runs on: MariaDB (skipped loudly when unreachable, fails with CI=true) and SQLite. */
export const TARGETS: Target[] = [
  { dialect: 'mysql', skip: !reachable, database: (file) => createTestDatabase(`core_${file}`) },
  { dialect: 'sqlite', skip: false, database: async (file) => createTestSqliteDatabase(`core_${file}`) },
];

export const MARIADB: Target = TARGETS[0]!;

/** A fresh database and an orm on it, for one test file. */
export async function openTarget(target: Target, file: string, timeZone = 'Europe/Berlin') {
  const db = await target.database(file);
  const orm = await createOrm({ databaseUrl: db.url, timeZone });
  return {
    db,
    orm,
    close: async () => {
      await closeOrm(orm);
      await db.drop();
    },
  };
}

/** Runs SQL outside any sync (assertions and fixtures). */
export async function sql<T = Record<string, unknown>>(
  orm: UpsyncOrm,
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return (await internalsOf(orm).orm.em.getConnection().execute(query, params)) as T[];
}

/** A payload from examples/ (the repository root) (fresh copy). */
export function example(name: 'pyispyb-create' | 'pyispyb-update'): Record<string, any> {
  return JSON.parse(
    readFileSync(new URL(`../../../../examples/${name}.json`, import.meta.url), 'utf8'),
  );
}

export { setupServiceTables };
