import { ISPYB_TABLES } from '@upsync/schema';
import type { UpsyncOrm } from '../../src/index.js';
import { sql } from './targets.js';

/** Every row of the eight ISPyB tables, for byte-identical before/after comparisons. */
export async function dumpTables(orm: UpsyncOrm): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const t of ISPYB_TABLES) out[t] = await sql(orm, `SELECT * FROM \`${t}\` ORDER BY 1, 2`);
  return JSON.stringify(out, (_k, v) => (v?.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v));
}
