import { internalsOf, type UpsyncOrm } from './internals.js';
import type { StatementListener } from './statement-hub.js';

/**
 * Calls `listener` with every statement this handle sends to the database, as sent — values
 * inlined, so personal data included — with the number of the round trip it travelled in (MikroORM's
 * query log: the same statements its `debug` logger prints). Costs nothing while nobody listens. Returns the function that stops listening.
 */
export function onStatement(orm: UpsyncOrm, listener: StatementListener): () => void {
  return internalsOf(orm).hub.subscribe(listener);
}
