import type { Row } from './gateway.js';

export interface RunResult {
  affectedRows: number;
  insertId: number;
}

export interface Statement {
  sql: string;
  params: unknown[];
  /** The caller reads rows (SELECT, INSERT … RETURNING), not an OK result. */
  rows?: boolean;
}

/** A batch failed at statement `index` (the ones before it ran, the ones after it did not). */
export class BatchFailure extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super('statement batch failed');
  }
}

/**
 * A statement that was not run, or whose result was dropped, because another statement of the
 * same transaction failed first. `cause` is that failure: it is the one to report.
 */
export class StatementNotRun extends Error {
  constructor(override readonly cause: unknown) {
    super('an earlier statement of this transaction failed');
  }
}

/** What a deferred statement may ask for besides its SQL. */
export interface DeferOptions {
  /** Its failure, as the transaction should report it. */
  describe?: (error: unknown) => unknown;
  /** It returns rows (INSERT … RETURNING), handed to `onResult`. */
  rows?: boolean;
  /**
   * Told the statement's result as soon as its batch has returned, before anything else of the
   * transaction continues (the new ids of an INSERT: see new-ids.ts).
   */
  onResult?: (result: unknown) => void;
}

interface Queued {
  statement: Statement;
  /** A deferred statement's own failure, as the transaction should report it. */
  describe?: (error: unknown) => unknown;
  onResult?: (result: unknown) => void;
  resolve?: (result: unknown) => void;
  reject?: (error: unknown) => void;
}

/**
 * One transaction's connection, with automatic batching: statements issued in the same turn of
 * the event loop (independent steps started together, BEGIN and the lock upsert queued with
 * `defer`) go out as one batch — on MariaDB one multi-statement round trip. Batches go strictly
 * one after another, and once a statement fails nothing more is sent: after a deadlock InnoDB has
 * already rolled the transaction back, and a later statement would run outside it.
 */
export abstract class Session {
  #queue: Queued[] = [];
  #scheduled = false;
  #tail: Promise<void> = Promise.resolve();
  #failure: { error: unknown } | undefined;
  #closed = false;

  /**
   * Queues a statement whose result nobody reads; it goes out with the next batch. Should it be
   * the one that fails, `describe` turns its error into the one the transaction reports.
   */
  defer(sql: string, params: unknown[] = [], options: DeferOptions = {}): void {
    const { describe, rows, onResult } = options;
    this.#queue.push({ statement: { sql, params, ...(rows ? { rows } : {}) }, describe, onResult });
  }

  async all(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.#enqueue({ sql, params, rows: true })) as Row[];
  }

  async run(sql: string, params: unknown[] = []): Promise<RunResult> {
    const result = (await this.#enqueue({ sql, params })) as Partial<RunResult>;
    return { affectedRows: result.affectedRows ?? 0, insertId: Number(result.insertId ?? 0) };
  }

  /** Sends whatever is queued now; throws the transaction's failure, if any. */
  async flush(): Promise<void> {
    this.#tail = this.#tail.then(() => this.#sendQueued());
    await this.#tail;
    if (this.#failure) throw this.#failure.error;
  }

  /**
   * Drops what is queued and, with `rollback`, rolls back; errors are ignored (a dead connection
   * has nothing left to undo).
   */
  async abandon(rollback: boolean): Promise<void> {
    const dropped = this.#queue;
    this.#queue = [];
    const reason = new StatementNotRun(this.#failure?.error ?? new Error('transaction abandoned'));
    for (const q of dropped) q.reject?.(reason);
    await this.#tail;
    if (!rollback) return;
    // one at a time: after a Galera brute-force abort ROLLBACK itself may answer 1213, and what
    // follows it (autocommit back on) must run all the same
    for (const sql of this.rollbackStatements()) {
      try {
        await this.sendBatch([{ sql, params: [] }]);
      } catch {
        // the connection is gone (killed, server down): the server rolled the transaction back itself
      }
    }
  }

  /** What `abandon(true)` sends. */
  protected rollbackStatements(): string[] {
    return ['ROLLBACK'];
  }

  /**
   * Sends one statement after whatever is in flight, outside the batching and whatever the
   * transaction's state (the failure path's checks); its error is returned, not thrown.
   */
  async probe(sql: string): Promise<unknown> {
    await this.#tail;
    try {
      await this.sendBatch([{ sql, params: [] }]);
      return null;
    } catch (error) {
      return error instanceof BatchFailure ? error.cause : error;
    }
  }

  /**
   * The transaction is over and its connection goes back to the pool: whatever is still queued
   * (nothing should be) is refused rather than sent on a connection another transaction may use.
   */
  close(): void {
    this.#closed = true;
  }

  /** Sends the statements in order as one batch; one result per statement, or a BatchFailure. */
  protected abstract sendBatch(statements: Statement[]): Promise<unknown[]>;

  #enqueue(statement: Statement): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ statement, resolve, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      // after the current turn: statements of steps started together join this batch
      setImmediate(() => {
        this.#scheduled = false;
        this.#tail = this.#tail.then(() => this.#sendQueued());
      });
    });
  }

  async #sendQueued(): Promise<void> {
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    if (this.#failure || this.#closed) {
      const reason = new StatementNotRun(this.#failure?.error ?? new Error('the transaction is over'));
      for (const q of batch) q.reject?.(reason);
      return;
    }
    let results: unknown[];
    try {
      results = await this.sendBatch(batch.map((q) => q.statement));
    } catch (error) {
      const failure = error instanceof BatchFailure ? error : new BatchFailure(0, error);
      const describe = batch[failure.index]?.describe;
      this.#failure = { error: describe ? describe(failure.cause) : failure.cause };
      const reason = new StatementNotRun(this.#failure.error);
      for (const [i, q] of batch.entries()) q.reject?.(i === failure.index ? failure.cause : reason);
      return;
    }
    // synchronously, in order: new ids are known before any waiting step resumes
    for (const [i, q] of batch.entries()) q.onResult?.(results[i]);
    for (const [i, q] of batch.entries()) q.resolve?.(results[i]);
  }
}
