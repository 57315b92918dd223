import { hostname } from 'node:os';
import { type ChannelModel, type ConfirmChannel, type ConsumeMessage, connect } from 'amqplib';
import type { AmqpConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { assertTopology } from './topology.js';

/** One connection to the broker and its confirm channel, consuming the queue. */
export interface Session {
  connection: ChannelModel;
  channel: ConfirmChannel;
  consumerTag: string | undefined;
  /** Aborted once the connection, the channel or the consumer is gone (or the session closed). */
  lost: AbortController;
}

export interface SessionHandlers {
  onMessage(session: Session, message: ConsumeMessage): void;
  /** The connection or channel closed, or the broker cancelled the consumer. */
  onLost(session: Session, reason: string): void;
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

/** Connects, checks the queues' declaration, and consumes `cfg.queue` with manual acks. */
export async function openSession(
  cfg: AmqpConfig & { url: string },
  log: Logger,
  handlers: SessionHandlers,
): Promise<Session> {
  const connection = await connect(cfg.url, {
    clientProperties: { connection_name: `upsync-consumer ${hostname()} ${process.pid}` },
  });
  connection.on('error', (error: Error) => log.warn({ err: error.message }, 'broker connection error'));
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', (error: Error) => log.warn({ err: error.message }, 'broker channel error'));
    await assertTopology(channel, cfg);
    await channel.prefetch(cfg.prefetch);
    const session: Session = { connection, channel, consumerTag: undefined, lost: new AbortController() };
    connection.on('close', () => handlers.onLost(session, 'connection closed'));
    channel.on('close', () => handlers.onLost(session, 'channel closed'));
    const { consumerTag } = await channel.consume(
      cfg.queue,
      (message) => {
        // null: the broker cancelled the consumer (queue deleted): start over
        if (message === null) handlers.onLost(session, 'consumer cancelled by the broker');
        else handlers.onMessage(session, message);
      },
      { noAck: false },
    );
    session.consumerTag = consumerTag;
    return session;
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}

/** Marks the session lost and closes its channel and connection (errors ignored: it may be gone). */
export async function closeSession(session: Session): Promise<void> {
  session.lost.abort();
  await session.channel.close().catch(() => undefined);
  await session.connection.close().catch(() => undefined);
}
