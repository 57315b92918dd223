import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDatabase } from './mariadb.js';

/** A fresh embedded SQLite database file in the temp folder (tables are created by createOrm). */
export function createTestSqliteDatabase(name: string): TestDatabase {
  const databaseName = `upsync_t_${name.replace(/[^A-Za-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}.sqlite`;
  const path = join(tmpdir(), databaseName);
  return {
    url: `sqlite:${path}`,
    databaseName,
    drop: async () => {
      for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(`${path}${suffix}`, { force: true });
    },
  };
}
