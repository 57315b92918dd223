import type { SqlEntityManager } from '@mikro-orm/knex';
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
        out.push(await this.em.execute(sql, params, rows ? 'all' : 'run'));
      } catch (error) {
        throw new BatchFailure(index, error);
      }
    }
    return out;
  }
}
