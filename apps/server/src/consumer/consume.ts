import { mkdir } from 'node:fs/promises';
import { closeOrm } from '@upsync/sync-core';
import { ConfigError, type ServerConfig } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { openDatabase } from '../open-database.js';
import { describeDatabase } from '../serve.js';
import { createSyncService } from '../sync-service.js';
import { type Consumer, startConsumer } from './consumer.js';
import { startMonitor } from './monitor.js';

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
  const orm = await openDatabase(config, logger);
  logger.info({ database: describeDatabase(config) }, 'database opened');
  const metrics = createMetrics();
  // every consumed sync goes into the sync history with principal `amqp:<queue>`
  const sync = createSyncService({ orm, config, logger, metrics, recordHistory: true });
  let consumer: Consumer | undefined;
  let monitor: Awaited<ReturnType<typeof startMonitor>> | undefined;
  try {
    // first: probes get an answer (not ready) while the broker is still being reached
    const port = config.amqp.monitorPort;
    if (port !== undefined) {
      monitor = await startMonitor({ config, port, orm, consumer: () => consumer, metrics, logger });
      logger.info({ host: config.host, port: monitor.port }, 'monitor listening (/health, /ready, /metrics)');
    }
    consumer = await startConsumer({
      amqp: { ...config.amqp, url },
      sync,
      logger,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
    });
  } catch (error) {
    await monitor?.close();
    await closeOrm(orm);
    throw error;
  }
  const started = consumer;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing the message in progress');
    await started.stop();
    await monitor?.close();
    await closeOrm(orm);
    logger.info('stopped');
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return { consumer: started, shutdown };
}
