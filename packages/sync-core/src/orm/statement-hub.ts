/** One statement the driver sent to the database (SQL as sent, parameters inlined). */
export interface StatementEvent {
  sql: string;
  /** The number of the round trip it travelled in (a sync's look-ups share one: sync/look-ups.ts). */
  roundTrip: number;
}

export type StatementListener = (event: StatementEvent) => void;

/**
 * Fan-out of knex's `query` events (every statement MikroORM sends, BEGIN and COMMIT included),
 * so that tests count statements and the server logs them at LOG_LEVEL=trace. A multi-statement
 * round trip is told statement by statement: values are escaped (a newline inside one is `\n`),
 * so `;\n` only ever separates statements.
 */
export class StatementHub {
  readonly #listeners = new Set<StatementListener>();
  #roundTrips = 0;

  /** Registers a listener; returns its unsubscribe function. */
  subscribe(listener: StatementListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(sql: string): void {
    if (this.#listeners.size === 0) return;
    const roundTrip = ++this.#roundTrips;
    for (const statement of sql.split(';\n'))
      for (const listener of this.#listeners) listener({ sql: statement, roundTrip });
  }
}
