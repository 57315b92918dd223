import { createOrm, type UpsyncOrm } from '@upsync/sync-core';
import type { ServerConfig } from './config.js';
import { logStatements } from './log-statements.js';
import type { Logger } from './logger.js';

/**
 * Opens the configured database for the server, the consumer and the database commands alike,
 * and says in the log where this ISPyB differs from the mapping (columns it lacks).
 */
export async function openDatabase(config: ServerConfig, logger: Logger): Promise<UpsyncOrm> {
  const orm = await createOrm({
    databaseUrl: config.databaseUrl,
    timeZone: config.timeZone,
    lockWaitTimeoutSeconds: config.lockWaitTimeoutSeconds,
    missingColumns: config.missingColumns,
  });
  logStatements(orm, logger);
  for (const line of orm.schemaReport.lines)
    logger.warn({ schema: line }, 'database differs from the mapping');
  return orm;
}
