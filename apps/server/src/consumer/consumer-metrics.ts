import { Counter, Gauge, type Registry } from 'prom-client';
import type { Consumer, ConsumerStats } from './consumer.js';

type Counted = 'synced' | 'deadLettered' | 'abandoned' | 'retries' | 'disconnects';

/**
 * The consumer's counters in `registry`, read from its stats when scraped (the consumer counts;
 * this only reports). `consumer` is undefined until the broker first answered.
 */
export function registerConsumerMetrics(registry: Registry, consumer: () => Consumer | undefined): void {
  const seen: Record<Counted, number> = {
    synced: 0,
    deadLettered: 0,
    abandoned: 0,
    retries: 0,
    disconnects: 0,
  };
  // a counter only goes up: add what the stats gained since the last scrape
  const gained = (stats: ConsumerStats | undefined, key: Counted) => {
    const now = stats?.[key] ?? seen[key];
    const delta = now - seen[key];
    seen[key] = now;
    return delta;
  };
  new Counter({
    name: 'upsync_amqp_messages_total',
    help: 'Messages handled by the consumer: synced (acked), dead_lettered, or abandoned (left unacked for redelivery)',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      const stats = consumer()?.stats;
      this.inc({ outcome: 'synced' }, gained(stats, 'synced'));
      this.inc({ outcome: 'dead_lettered' }, gained(stats, 'deadLettered'));
      this.inc({ outcome: 'abandoned' }, gained(stats, 'abandoned'));
    },
  });
  new Counter({
    name: 'upsync_amqp_retries_total',
    help: 'Sync attempts the consumer repeated after a transient failure (database down, deadlock)',
    registers: [registry],
    collect() {
      this.inc(gained(consumer()?.stats, 'retries'));
    },
  });
  new Counter({
    name: 'upsync_amqp_disconnects_total',
    help: 'Broker connections or channels lost (then re-established with backoff)',
    registers: [registry],
    collect() {
      this.inc(gained(consumer()?.stats, 'disconnects'));
    },
  });
  new Gauge({
    name: 'upsync_amqp_connected',
    help: '1 while the consumer is connected to the broker and consuming, else 0',
    registers: [registry],
    collect() {
      this.set(consumer()?.connected ? 1 : 0);
    },
  });
}
