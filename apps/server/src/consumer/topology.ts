import type { Channel } from 'amqplib';

export interface TopologyOptions {
  queue: string;
  deadLetterQueue: string;
  singleActiveConsumer: boolean;
}

/** The queue exists with other arguments: a configuration error, not worth retrying. */
export class TopologyError extends Error {
  override name = 'TopologyError';
}

/** The work queue's arguments; every consumer and publisher must declare it with the same ones. */
export function queueArguments(options: TopologyOptions): Record<string, unknown> {
  return {
    // a message rejected without requeue (by an operator tool, or a future delivery limit) is not
    // dropped: the default exchange routes it to the dead-letter queue
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': options.deadLetterQueue,
    ...(options.singleActiveConsumer && { 'x-single-active-consumer': true }),
  };
}

/** Declares the durable work queue and its dead-letter queue (idempotent). */
export async function assertTopology(channel: Channel, options: TopologyOptions): Promise<void> {
  await channel.assertQueue(options.deadLetterQueue, { durable: true });
  try {
    await channel.assertQueue(options.queue, { durable: true, arguments: queueArguments(options) });
  } catch (error) {
    // 406 PRECONDITION_FAILED: the queue exists with other arguments (e.g. single-active-consumer)
    throw new TopologyError(
      `cannot declare queue ${options.queue}: ${(error as Error).message}. It exists with other arguments; ` +
        'delete it or align UPSYNC_AMQP_SINGLE_ACTIVE_CONSUMER / UPSYNC_AMQP_DEAD_LETTER_QUEUE with it',
      { cause: error },
    );
  }
}
