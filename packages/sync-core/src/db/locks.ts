import { createHash } from 'node:crypto';
import type { Gateway } from './gateway.js';
import { q } from './gateway.js';

export const LOCK_TABLE = 'upsync_lock';

/** Lock stripe of an identity key: 32 bits of its SHA-1 (collisions only serialise more). */
export function lockStripe(identity: string): string {
  return createHash('sha1').update(identity).digest('hex').slice(0, 8);
}

/**
 * Takes the row locks of every identity the payload resolves, in sorted order, with one upsert.
 * The rows stay locked until commit; being writes, they also conflict in Galera certification.
 */
export async function takeLocks(db: Gateway, identities: Iterable<string>): Promise<void> {
  const stripes = [...new Set([...identities].map(lockStripe))].sort();
  if (stripes.length === 0) return;
  const values = stripes.map(() => '(?, 1)').join(', ');
  await db.run(
    `INSERT INTO ${q(LOCK_TABLE)} (${q('lockKey')}, ${q('n')}) VALUES ${values} ON DUPLICATE KEY UPDATE ${q('n')} = ${q('n')} + 1`,
    stripes,
  );
}
