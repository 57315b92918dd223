import type { SqlEntityManager } from '@mikro-orm/knex';
import { NewIdRef } from './new-ids.js';
import { BatchFailure, Session, type Statement } from './session.js';

/** A transaction through MikroORM's EntityManager (the embedded SQLite database): one statement at a time. */
export class EmSession extends Session {
  constructor(readonly em: SqlEntityManager) {
    super();
  }

  protected async sendBatch(statements: Statement[]): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const [index, { sql, params, rows }] of statements.entries()) {
      try {
        // a new row's id is known here: the gateway settles before a statement references it
        const values = params.map((p) => (p instanceof NewIdRef ? p.resolved() : p));
        out.push(await this.em.execute(sql, values, rows ? 'all' : 'run'));
      } catch (error) {
        throw new BatchFailure(index, error);
      }
    }
    return out;
  }
}
