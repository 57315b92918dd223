import { mkdir } from 'node:fs/promises';
import { closeOrm, createOrm } from '@upsync/sync-core';
import { ConfigError, type ServerConfig } from '../config.js';
import { logStatements } from '../log-statements.js';
import { createLogger, type Logger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { describeDatabase } from '../serve.js';
import { createSyncService } from '../sync-service.js';
import { startConsumer } from './consumer.js';

/** `upsync-server consume`: the RabbitMQ consumer, with graceful shutdown on SIGTERM/SIGINT. */
export async function consume(
  config: ServerConfig,
  logger: Logger = createLogger({ level: config.logLevel }),
) {
  const url = config.amqp.url;
  if (url === undefined) {
    throw new ConfigError(
      'Invalid configuration: UPSYNC_AMQP_URL: required by `consume` (amqp://user:password@host:5672/vhost)',
    );
  }
  if (config.embeddedDatabase) await mkdir(config.dataDir, { recursive: true });
  const orm = await createOrm({ databaseUrl: config.databaseUrl, timeZone: config.timeZone });
  logStatements(orm, logger);
  for (const line of orm.schemaReport.lines)
    logger.warn({ schema: line }, 'database differs from the mapping');
  logger.info({ database: describeDatabase(config) }, 'database opened');
  // every consumed sync goes into the sync history with principal `amqp:<queue>`
  const sync = createSyncService({ orm, config, logger, metrics: createMetrics(), recordHistory: true });
  let consumer: Awaited<ReturnType<typeof startConsumer>>;
  try {
    consumer = await startConsumer({
      amqp: { ...config.amqp, url },
      sync,
      logger,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
    });
  } catch (error) {
    await closeOrm(orm);
    throw error;
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing the message in progress');
    await consumer.stop();
    await closeOrm(orm);
    logger.info('stopped');
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return { consumer, shutdown };
}
