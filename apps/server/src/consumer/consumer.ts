import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsumeMessage } from 'amqplib';
import type { AmqpConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { SyncService } from '../trpc/context.js';
import { closeSession, describeAmqpUrl, openSession, type Session } from './broker-session.js';
import { publishDeadLetter } from './dead-letter.js';
import { decodeMessage } from './decode-message.js';
import { handleMessage, type Outcome } from './handle-message.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import { createKeyedSerializer } from './serialize-by-key.js';
import { TopologyError } from './topology.js';

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

/** What one consumer holds between its sessions: the current one, the counts, the messages in flight. */
interface ConsumerState {
  options: ConsumerOptions;
  cfg: AmqpConfig & { url: string };
  log: Logger;
  policy: RetryPolicy;
  stats: ConsumerStats;
  /** One proposal's messages one at a time, in delivery order. */
  serializer: ReturnType<typeof createKeyedSerializer>;
  inFlight: Set<Promise<Outcome>>;
  stopping: AbortController;
  session: Session | undefined;
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
  const { amqp: cfg } = options;
  const state: ConsumerState = {
    options,
    cfg,
    log: options.logger.child({ component: 'amqp-consumer', queue: cfg.queue }),
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: cfg.maxAttempts, ...options.retry },
    stats: { synced: 0, deadLettered: 0, abandoned: 0, retries: 0, connections: 0, disconnects: 0 },
    serializer: createKeyedSerializer(),
    inFlight: new Set(),
    stopping: new AbortController(),
    session: undefined,
  };
  await connectWithRetry(state);
  return {
    stats: state.stats,
    get connected() {
      const { session, stopping } = state;
      return session !== undefined && !session.lost.signal.aborted && !stopping.signal.aborted;
    },
    stop: () => stopConsumer(state),
  };
}

/** Connects until it works or the consumer stops; a misconfiguration at start-up is thrown. */
async function connectWithRetry(state: ConsumerState): Promise<void> {
  const { cfg, log, stats, stopping, options } = state;
  const reconnectPolicy = {
    initialDelayMs: options.reconnect?.initialDelayMs ?? 500,
    maxDelayMs: options.reconnect?.maxDelayMs ?? 30_000,
    maxAttempts: Number.POSITIVE_INFINITY,
  };
  const handlers = {
    onMessage: (session: Session, message: ConsumeMessage) => dispatch(state, session, message),
    onLost: (session: Session, reason: string) => onLost(state, session, reason),
  };
  for (let attempt = 1; !stopping.signal.aborted; attempt++) {
    try {
      state.session = await openSession(cfg, log, handlers);
      stats.connections++;
      log.info({ broker: describeAmqpUrl(cfg.url), prefetch: cfg.prefetch }, 'consuming');
      if (stopping.signal.aborted) await closeSession(state.session);
      return;
    } catch (error) {
      // at start-up, a wrong password, vhost or queue declaration stops the consumer: say so
      if (stats.connections === 0 && isMisconfiguration(error)) throw error;
      const delayMs = backoffDelay(attempt, reconnectPolicy);
      log.warn({ err: (error as Error).message, attempt, delayMs }, 'cannot reach the broker; retrying');
      await sleep(delayMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  }
}

function onLost(state: ConsumerState, session: Session, reason: string): void {
  if (session.lost.signal.aborted) return;
  session.lost.abort();
  if (state.stopping.signal.aborted) return;
  state.stats.disconnects++;
  state.log.warn({ reason }, 'lost the broker; reconnecting');
  void session.connection.close().catch(() => undefined);
  void connectWithRetry(state);
}

/** Hands one delivery to handleMessage, after the messages of the same proposal, and counts its outcome. */
function dispatch(state: ConsumerState, session: Session, message: ConsumeMessage): void {
  const { cfg, log, stats } = state;
  const decoded = decodeMessage(message);
  const key = (decoded.ok && decoded.key) || `delivery:${message.fields.deliveryTag}`;
  const signal = AbortSignal.any([session.lost.signal, state.stopping.signal]);
  const task = state.serializer
    .run(key, () =>
      handleMessage(message, decoded, {
        sync: state.options.sync,
        policy: state.policy,
        reconcileAllowed: cfg.reconcile,
        logger: log,
        principal: `amqp:${cfg.queue}`,
        requestId: message.properties.messageId ? String(message.properties.messageId) : randomUUID(),
        ack: () => {
          // amqplib drops an ack on a closed channel silently: say so (the broker redelivers it)
          if (session.lost.signal.aborted) throw new Error('the channel closed before the ack');
          session.channel.ack(message);
        },
        deadLetter: (reason) =>
          publishDeadLetter(session.channel, cfg.deadLetterQueue, message, { ...reason, queue: cfg.queue }),
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
  state.inFlight.add(task);
  void task.finally(() => state.inFlight.delete(task));
}

/** Cancel first (no new deliveries), then abort retry waits and let a running sync finish. */
async function stopConsumer(state: ConsumerState): Promise<void> {
  const { stopping, inFlight, log } = state;
  if (stopping.signal.aborted) return;
  const current = state.session;
  if (current?.consumerTag && !current.lost.signal.aborted)
    await current.channel.cancel(current.consumerTag).catch(() => undefined);
  stopping.abort();
  const timer = new AbortController();
  const timeout = sleep(state.options.shutdownTimeoutMs ?? 30_000, 'timeout' as const, {
    signal: timer.signal,
  });
  const outcome = await Promise.race([Promise.allSettled([...inFlight]), timeout.catch(() => undefined)]);
  timer.abort();
  // unfinished messages stay unacked: closing the channel hands them back to the broker
  if (outcome === 'timeout') log.warn({ inFlight: inFlight.size }, 'stopping with messages in flight');
  if (current) await closeSession(current);
  log.info(state.stats, 'consumer stopped');
}
