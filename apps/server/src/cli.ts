#!/usr/bin/env node
import {
  closeOrm,
  migrateIndexes,
  pruneSyncRuns,
  setupServiceTables,
  type UpsyncOrm,
} from '@upsync/sync-core';
import { Command } from 'commander';
import { loadConfig } from './config.js';
import { consume } from './consumer/consume.js';
import { createLogger } from './logger.js';
import { openDatabase } from './open-database.js';
import { describeDatabase, serve } from './serve.js';

/** Opens the configured database, runs one ops task, closes it. */
async function withOrm(task: (orm: UpsyncOrm) => Promise<unknown>) {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const orm = await openDatabase(config, logger);
  try {
    const outcome = await task(orm);
    logger.info({ database: describeDatabase(config), outcome }, 'done');
  } finally {
    await closeOrm(orm);
  }
}

const program = new Command()
  .name('upsync-server')
  .description('upsync HTTP service and its database tasks. Configuration comes from the environment.')
  .showHelpAfterError();

program
  .command('serve', { isDefault: true })
  .description('serve the REST routes, /trpc, /docs, /health, /ready and /metrics (the default)')
  .action(async () => {
    await serve(loadConfig());
  });

program
  .command('consume')
  .description(
    'sync proposals from the RabbitMQ queue UPSYNC_AMQP_QUEUE (UPSYNC_AMQP_URL); failures go to UPSYNC_AMQP_DEAD_LETTER_QUEUE',
  )
  .action(async () => {
    await consume(loadConfig());
  });

program
  .command('setup')
  .description(
    "create upsync's own tables (the lock table, the sync history) in the DATABASE_URL database; never done implicitly",
  )
  .action(() => withOrm((orm) => setupServiceTables(orm)));

program
  .command('migrate-indexes')
  .description('add the optional lookup indexes (externalId, laboratoryExtPk, expSessionPk); idempotent')
  .action(() => withOrm((orm) => migrateIndexes(orm)));

program
  .command('prune-history')
  .description('delete sync history rows older than UPSYNC_HISTORY_RETENTION_DAYS (default 90; 0 keeps all)')
  .action(() => withOrm((orm) => pruneSyncRuns(orm, { retentionDays: loadConfig().history.retentionDays })));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`upsync-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
