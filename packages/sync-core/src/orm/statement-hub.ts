/** One statement the driver sent to the database (SQL as sent, parameters inlined). */
export interface StatementEvent {
  sql: string;
  /** Statements sent in one round trip (a MariaDB multi-statement batch) share this number. */
  roundTrip: number;
}

export type StatementListener = (event: StatementEvent) => void;

/** Fan-out of the driver's query events, so tests and metrics can observe real statements. */
export class StatementHub {
  readonly #listeners = new Set<StatementListener>();

  /** Registers a listener; returns its unsubscribe function. */
  subscribe(listener: StatementListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #roundTrips = 0;

  /** Statements sent together in one round trip. */
  emitRoundTrip(statements: readonly string[]): void {
    if (this.#listeners.size === 0) return;
    const roundTrip = ++this.#roundTrips;
    for (const sql of statements) for (const listener of this.#listeners) listener({ sql, roundTrip });
  }

  /** One statement in a round trip of its own. */
  emit(sql: string): void {
    this.emitRoundTrip([sql]);
  }
}
