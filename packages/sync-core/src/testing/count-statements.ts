import { ISPYB_TABLES } from '@upsync/schema';
import { internalsOf, type UpsyncOrm } from '../orm/internals.js';

type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'transaction' | 'lock' | 'other';

export interface StatementCounts {
  select: number;
  insert: number;
  update: number;
  delete: number;
  /** BEGIN, COMMIT, ROLLBACK, SET TRANSACTION … */
  transaction: number;
  /** Upserts of upsync's lock table (not writes to ISPyB tables). */
  lock: number;
  other: number;
  total: number;
  /** Round trips to the database (the look-ups share one; every other statement has its own). */
  roundTrips: number;
  /** INSERT/UPDATE/DELETE statements whose target is one of ISPyB's tables. */
  ispybWrites: number;
  statements: string[];
}

const TABLE_RE = new RegExp(
  `^\\s*(?:insert\\s+into|update|delete\\s+from)\\s+\`?(${ISPYB_TABLES.join('|')})\`?[\\s(]`,
  'i',
);

function statementKind(sql: string): StatementKind {
  const s = sql.trim().toLowerCase();
  if (s.includes('upsync_lock')) return 'lock';
  if (/^(begin|commit|rollback|start transaction|set transaction|savepoint|release)/.test(s))
    return 'transaction';
  const head = /^(select|insert|update|delete|with)/.exec(s)?.[1];
  if (head === 'with') return 'select';
  return (head as StatementKind | undefined) ?? 'other';
}

/** Runs `fn` and counts every statement the driver sends meanwhile (from the driver's query events). */
export async function countStatements<T>(
  orm: UpsyncOrm,
  fn: () => Promise<T>,
): Promise<{ result: T; counts: StatementCounts }> {
  const counts: StatementCounts = {
    select: 0,
    insert: 0,
    update: 0,
    delete: 0,
    transaction: 0,
    lock: 0,
    other: 0,
    total: 0,
    roundTrips: 0,
    ispybWrites: 0,
    statements: [],
  };
  let lastRoundTrip = -1;
  const unsubscribe = internalsOf(orm).hub.subscribe(({ sql, roundTrip }) => {
    if (roundTrip !== lastRoundTrip) counts.roundTrips++;
    lastRoundTrip = roundTrip;
    counts[statementKind(sql)]++;
    counts.total++;
    if (TABLE_RE.test(sql)) counts.ispybWrites++;
    counts.statements.push(sql);
  });
  try {
    return { result: await fn(), counts };
  } finally {
    unsubscribe();
  }
}
