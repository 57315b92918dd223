import { DefaultLogger, type LogContext, type LoggerNamespace, type LoggerOptions } from '@mikro-orm/core';

/** One statement the driver sent to the database (SQL as sent, parameters inlined). */
export interface StatementEvent {
  sql: string;
  /** The number of the round trip it travelled in (a sync's look-ups share one: sync/look-ups.ts). */
  roundTrip: number;
}

export type StatementListener = (event: StatementEvent) => void;

/**
 * Fan-out of the statements MikroORM sends (BEGIN and COMMIT included), so that tests count
 * statements and the server logs them at LOG_LEVEL=trace. One MikroORM query log entry is one
 * round trip; a multi-statement round trip is told statement by statement: values are escaped (a
 * newline inside one is `\n`), so `;\n` only ever separates statements.
 */
export class StatementHub {
  readonly #listeners = new Set<StatementListener>();
  #roundTrips = 0;

  /** Registers a listener; returns its unsubscribe function. */
  subscribe(listener: StatementListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  emit(sql: string): void {
    if (this.#listeners.size === 0) return;
    const roundTrip = ++this.#roundTrips;
    for (const statement of sql.split(';\n'))
      for (const listener of this.#listeners) listener({ sql: statement, roundTrip });
  }
}

/**
 * MikroORM's logger, which also hands every query log entry to the hub. MikroORM inlines the
 * values of a logged statement only while its `query-params` namespace is on: it is on exactly
 * while someone listens (or `debug` asks for it), so that nothing is formatted for nobody.
 * Printing stays MikroORM's own `debug` setting.
 */
export class HubLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly hub: StatementHub,
  ) {
    super(options);
  }

  override isEnabled(namespace: LoggerNamespace, context?: LogContext): boolean {
    if (this.hub.listening && (namespace === 'query' || namespace === 'query-params')) return true;
    return super.isEnabled(namespace, context);
  }

  override logQuery(context: LogContext): void {
    if (context.query !== undefined) this.hub.emit(context.query);
    // printed only as `debug` says (super's isEnabled, not this one's)
    if (super.isEnabled(context.namespace ?? 'query', context)) super.logQuery(context as never);
  }
}
