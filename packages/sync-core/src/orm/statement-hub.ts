/** One statement the driver sent to the database (SQL as sent, parameters inlined). */
export interface StatementEvent {
  sql: string;
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

  emit(sql: string): void {
    for (const listener of this.#listeners) listener({ sql });
  }
}
