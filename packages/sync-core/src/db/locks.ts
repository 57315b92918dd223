import { hash } from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { marks, q, type Statement } from './sql.js';

export const LOCK_TABLE = 'upsync_lock';

/**
 * Lock stripe of an identity key: 32 bits of its SHA-1 (collisions only serialise more). Every
 * upsync process must compute the same stripes: changing the function needs all servers stopped.
 */
export function lockStripe(identity: string): string {
  // the one-shot hash: a third of createHash's cost (~0.6 vs 2 µs, ~30 keys a sync)
  return hash('sha1', identity, 'hex').slice(0, 8);
}

/**
 * The upsert that takes the row locks of every identity the payload resolves, in sorted order,
 * and its stripes; the sync sends it with its look-ups, first. `n = n` inserts missing stripes and
 * X-locks existing ones without modifying them, so a sync that then writes nothing commits
 * without a redo-log flush. Hand-written on purpose: MikroORM's upsert would read the rows back
 * (docs/architecture.md). No statement when there is nothing to lock.
 */
export function lockStatement(identities: Iterable<string>): { statement?: Statement; stripes: string[] } {
  const stripes = [...new Set([...identities].map(lockStripe))].sort();
  if (stripes.length === 0) return { stripes };
  const values = stripes.map(() => '(?, 1)').join(', ');
  const sql = `INSERT INTO ${q(LOCK_TABLE)} (${q('lockKey')}, ${q('n')}) VALUES ${values} ON DUPLICATE KEY UPDATE ${q('n')} = ${q('n')}`;
  return { statement: { sql, params: stripes }, stripes };
}

/**
 * Modifies the held stripes: called only on Galera, by syncs that wrote ISPyB rows, so that two
 * writers of one identity on different nodes conflict at certification (row locks are not
 * replicated). On one server the X-locks of `takeLocks` already serialise them.
 */
export async function bumpLocks(em: SqlEntityManager, stripes: string[]): Promise<void> {
  if (stripes.length === 0) return;
  await em.execute(
    `UPDATE ${q(LOCK_TABLE)} SET ${q('n')} = ${q('n')} + 1 WHERE ${q('lockKey')} IN (${marks(stripes.length)})`,
    stripes,
    'run',
  );
}
