import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ChannelModel, type ConfirmChannel, type ConsumeMessage, connect } from 'amqplib';
import type { AmqpConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { SyncService } from '../trpc/context.js';
import { publishDeadLetter } from './dead-letter.js';
import { decodeMessage } from './decode-message.js';
import { handleMessage, type Outcome } from './handle-message.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import { createKeyedSerializer } from './serialize-by-key.js';
import { assertTopology, TopologyError } from './topology.js';

export interface ConsumerOptions {
  amqp: AmqpConfig & { url: string };
  /** Only its `sync` is used (principal `amqp:<queue>`; the history is recorded there). */
  sync: Pick<SyncService, 'sync'>;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
  /** Backoff between (re)connection attempts to the broker. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** How long stop() waits for in-flight messages. */
  shutdownTimeoutMs?: number;
}

export interface ConsumerStats {
  synced: number;
  deadLettered: number;
  abandoned: number;
  retries: number;
  connections: number;
  /** Connections or channels lost (not counting stop()). */
  disconnects: number;
}

export interface Consumer {
  readonly stats: ConsumerStats;
  /** Consuming now: connected to the broker, channel open (false while reconnecting or stopped). */
  readonly connected: boolean;
  /** Stops consuming, lets the message in progress finish, closes channel and connection. */
  stop(): Promise<void>;
}

interface Session {
  connection: ChannelModel;
  channel: ConfirmChannel;
  consumerTag: string | undefined;
  lost: AbortController;
}

/** Without credentials: what a log line may say about the broker. */
export function describeAmqpUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'amqp';
  }
}

/** Refused credentials (403), an unknown vhost (530) or a queue declared otherwise. */
function isMisconfiguration(error: unknown): boolean {
  if (error instanceof TopologyError) return true;
  return /ACCESS[-_]REFUSED|NOT[-_]ALLOWED/.test(error instanceof Error ? error.message : '');
}

/**
 * Consumes `amqp.queue` (manual acks, prefetch `amqp.prefetch`), syncing each message; reconnects
 * with backoff when the connection or channel is lost. Resolves once consuming.
 */
export async function startConsumer(options: ConsumerOptions): Promise<Consumer> {
  const { amqp: cfg, logger } = options;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: cfg.maxAttempts, ...options.retry };
  const reconnectPolicy = {
    initialDelayMs: options.reconnect?.initialDelayMs ?? 500,
    maxDelayMs: options.reconnect?.maxDelayMs ?? 30_000,
    maxAttempts: Number.POSITIVE_INFINITY,
  };
  const log = logger.child({ component: 'amqp-consumer', queue: cfg.queue });
  const stats: ConsumerStats = {
    synced: 0,
    deadLettered: 0,
    abandoned: 0,
    retries: 0,
    connections: 0,
    disconnects: 0,
  };
  const serializer = createKeyedSerializer();
  const inFlight = new Set<Promise<Outcome>>();
  const stopping = new AbortController();
  let session: Session | undefined;

  const dispatch = (current: Session, message: ConsumeMessage) => {
    const decoded = decodeMessage(message);
    const key = (decoded.ok && decoded.key) || `delivery:${message.fields.deliveryTag}`;
    const signal = AbortSignal.any([current.lost.signal, stopping.signal]);
    const task = serializer
      .run(key, () =>
        handleMessage(message, decoded, {
          sync: options.sync,
          policy,
          reconcileAllowed: cfg.reconcile,
          logger: log,
          principal: `amqp:${cfg.queue}`,
          requestId: message.properties.messageId ? String(message.properties.messageId) : randomUUID(),
          ack: () => {
            // amqplib drops an ack on a closed channel silently: say so (the broker redelivers it)
            if (current.lost.signal.aborted) throw new Error('the channel closed before the ack');
            current.channel.ack(message);
          },
          deadLetter: (reason) =>
            publishDeadLetter(current.channel, cfg.deadLetterQueue, message, { ...reason, queue: cfg.queue }),
          wait: (ms) => sleep(ms, true, { signal }).catch(() => false),
          aborted: () => signal.aborted,
          onRetry: () => void stats.retries++,
        }),
      )
      .catch((error: unknown) => {
        // ack or dead-letter publish failed: the channel is gone, the broker redelivers the message
        log.warn({ err: error }, 'message left unacked');
        return 'abandoned' as const;
      })
      .then((outcome) => {
        if (outcome === 'synced') stats.synced++;
        else if (outcome === 'dead-lettered') stats.deadLettered++;
        else stats.abandoned++;
        return outcome;
      });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  const onLost = (current: Session, reason: string) => {
    if (current.lost.signal.aborted) return;
    current.lost.abort();
    if (stopping.signal.aborted) return;
    stats.disconnects++;
    log.warn({ reason }, 'lost the broker; reconnecting');
    void current.connection.close().catch(() => undefined);
    void connectWithRetry();
  };

  const connectOnce = async (): Promise<Session> => {
    const connection = await connect(cfg.url, {
      clientProperties: { connection_name: `upsync-consumer ${hostname()} ${process.pid}` },
    });
    connection.on('error', (error: Error) => log.warn({ err: error.message }, 'broker connection error'));
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: Error) => log.warn({ err: error.message }, 'broker channel error'));
      await assertTopology(channel, cfg);
      await channel.prefetch(cfg.prefetch);
      const current: Session = { connection, channel, consumerTag: undefined, lost: new AbortController() };
      connection.on('close', () => onLost(current, 'connection closed'));
      channel.on('close', () => onLost(current, 'channel closed'));
      const { consumerTag } = await channel.consume(
        cfg.queue,
        (message) => {
          // null: the broker cancelled the consumer (queue deleted): start over
          if (message === null) onLost(current, 'consumer cancelled by the broker');
          else dispatch(current, message);
        },
        { noAck: false },
      );
      current.consumerTag = consumerTag;
      return current;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  };

  const connectWithRetry = async (): Promise<void> => {
    for (let attempt = 1; !stopping.signal.aborted; attempt++) {
      try {
        session = await connectOnce();
        stats.connections++;
        log.info({ broker: describeAmqpUrl(cfg.url), prefetch: cfg.prefetch }, 'consuming');
        if (stopping.signal.aborted) await closeSession(session);
        return;
      } catch (error) {
        // at start-up, a wrong password, vhost or queue declaration stops the consumer: say so
        if (stats.connections === 0 && isMisconfiguration(error)) throw error;
        const delayMs = backoffDelay(attempt, reconnectPolicy);
        log.warn({ err: (error as Error).message, attempt, delayMs }, 'cannot reach the broker; retrying');
        await sleep(delayMs, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  };

  const closeSession = async (current: Session) => {
    current.lost.abort();
    await current.channel.close().catch(() => undefined);
    await current.connection.close().catch(() => undefined);
  };

  await connectWithRetry();

  return {
    stats,
    get connected() {
      return session !== undefined && !session.lost.signal.aborted && !stopping.signal.aborted;
    },
    async stop() {
      if (stopping.signal.aborted) return;
      const current = session;
      // cancel first: no new deliveries; then abort retry waits, let a running sync finish
      if (current?.consumerTag && !current.lost.signal.aborted)
        await current.channel.cancel(current.consumerTag).catch(() => undefined);
      stopping.abort();
      const timer = new AbortController();
      const timeout = sleep(options.shutdownTimeoutMs ?? 30_000, 'timeout' as const, {
        signal: timer.signal,
      });
      const outcome = await Promise.race([Promise.allSettled([...inFlight]), timeout.catch(() => undefined)]);
      timer.abort();
      // unfinished messages stay unacked: closing the channel hands them back to the broker
      if (outcome === 'timeout') log.warn({ inFlight: inFlight.size }, 'stopping with messages in flight');
      if (current) await closeSession(current);
      log.info(stats, 'consumer stopped');
    },
  };
}
