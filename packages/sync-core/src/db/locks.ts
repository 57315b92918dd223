import { hash } from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { marks, q } from './sql.js';

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
 * Takes the row locks of every identity the payload resolves, in sorted order, with one upsert,
 * and returns the stripes. `n = n` inserts missing stripes and X-locks existing ones without
 * modifying them, so a sync that then writes nothing commits without a redo-log flush.
 * Hand-written on purpose: MikroORM's upsert would read the rows back (docs/architecture.md).
 */
export async function takeLocks(em: SqlEntityManager, identities: Iterable<string>): Promise<string[]> {
  const stripes = [...new Set([...identities].map(lockStripe))].sort();
  if (stripes.length === 0) return stripes;
  const values = stripes.map(() => '(?, 1)').join(', ');
  await em.execute(
    `INSERT INTO ${q(LOCK_TABLE)} (${q('lockKey')}, ${q('n')}) VALUES ${values} ON DUPLICATE KEY UPDATE ${q('n')} = ${q('n')}`,
    stripes,
    'run',
  );
  return stripes;
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
