import type { StatementHub } from '../orm/statement-hub.js';
import { BatchFailure, Session, type Statement } from './session.js';

/** The parts of a mysql2 connection a session uses. */
export interface RawMysqlConnection {
  format(sql: string, values: unknown[]): string;
  query(sql: string, callback: (error: Error | null, result: unknown) => void): { _resultIndex?: number };
}

/**
 * A transaction on one raw mysql2 connection borrowed from MikroORM's pool. The hot path skips the
 * ORM's query formatting, logging and knex's runner (~0.5 ms a statement, measured), and sends each
 * batch as one multi-statement round trip (the pool's connections allow them: createOrm).
 */
export class MysqlSession extends Session {
  constructor(
    readonly connection: RawMysqlConnection,
    readonly hub: StatementHub,
  ) {
    super();
  }

  // the transaction runs with autocommit off (db/transaction.ts): switched back on after it
  protected override rollbackStatements(): string[] {
    return ['ROLLBACK', 'SET autocommit = 1'];
  }

  protected async sendBatch(statements: Statement[]): Promise<unknown[]> {
    // values are escaped by mysql2's formatter (the one `query(sql, values)` uses), so the hub
    // sees exactly the text that is sent
    const texts = statements.map((s) =>
      s.params.length === 0 ? s.sql : this.connection.format(s.sql, s.params),
    );
    this.hub.emitRoundTrip(texts);
    const result = await new Promise<unknown>((resolve, reject) => {
      const command = this.connection.query(texts.join(';\n'), (error, out) => {
        // the server stops at the failing statement; mysql2 counts the result sets before it
        if (error) reject(new BatchFailure(command._resultIndex ?? 0, error));
        else resolve(out);
      });
    });
    // one statement: its result; several: an array with one result per statement
    return texts.length === 1 ? [result] : (result as unknown[]);
  }
}
