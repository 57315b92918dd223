import { chmod, open } from 'node:fs/promises';
import { createOrm, type UpsyncOrm } from '@upsync/sync-core';
import type { ServerConfig } from './config.js';
import { logStatements } from './log-statements.js';
import type { Logger } from './logger.js';

/**
 * The embedded database holds personal data: its file is created (or tightened to) mode 600
 * before SQLite opens it. SQLite gives its -wal/-journal files the database file's mode.
 */
async function privateDatabaseFile(databaseUrl: string): Promise<void> {
  const file = databaseUrl.slice('sqlite:'.length);
  if (file === '' || file === ':memory:') return;
  const handle = await open(file, 'a', 0o600);
  await handle.close();
  await chmod(file, 0o600);
}

/**
 * Opens the configured database for the server, the consumer and the database commands alike,
 * and says in the log where this ISPyB differs from the mapping (columns it lacks).
 */
export async function openDatabase(config: ServerConfig, logger: Logger): Promise<UpsyncOrm> {
  if (config.embeddedDatabase) await privateDatabaseFile(config.databaseUrl);
  const orm = await createOrm({
    databaseUrl: config.databaseUrl,
    timeZone: config.timeZone,
    lockWaitTimeoutSeconds: config.lockWaitTimeoutSeconds,
    missingColumns: config.missingColumns,
    // stdout carries the JSON log only: the ORM's and its query builder's messages become log lines
    log: (level, message) => logger[level]({ component: 'orm' }, message),
  });
  logStatements(orm, logger);
  for (const line of orm.schemaReport.lines)
    logger.warn({ schema: line }, 'database differs from the mapping');
  return orm;
}
