import type { Knex } from '@mikro-orm/knex';
import type { TEntityKind } from '@upsync/schema';
import type { Statement } from '../db/sql.js';
import type { Managed, SyncContext } from './context.js';
import { ENTITY } from './entities.js';

/** One entity kind's look-up: its SELECTs (one per chunk of keys; none, or no look-up, when nothing can match). */
export interface LookUp {
  kind: TEntityKind;
  queries: Knex.QueryBuilder[];
}

// SQLite refuses a statement over 1,000 OR terms deep or 32,766 parameters: keys go in chunks
const CHUNK = 300;

/** A SELECT of every column of `kind`'s table, for a module to add its condition to. */
export function selectFrom(ctx: SyncContext, kind: TEntityKind): Knex.QueryBuilder {
  return ctx.em.getKnex()(ENTITY[kind]).select('*');
}

/** One alternative condition of a look-up, added to a SELECT. */
export type Branch = (query: Knex.QueryBuilder) => Knex.QueryBuilder;

/**
 * The rows of `kind` matching any of `branches`, as one SELECT per branch joined by UNION ALL
 * (undefined: no branch). Not one WHERE with OR: MariaDB then gives up its indexes when a branch
 * holds a subquery and scans the table (measured: 130 ms at 100,000 sessions, EXPLAIN type ALL);
 * each SELECT of a union keeps its own index.
 */
export function selectAny(
  ctx: SyncContext,
  kind: TEntityKind,
  branches: Branch[],
): Knex.QueryBuilder | undefined {
  const [first, ...rest] = branches.map((branch) => branch(selectFrom(ctx, kind)));
  return rest.length > 0 ? first?.unionAll(rest) : first;
}

/** The look-up of `kind` for `values`, one SELECT per chunk of them (normally one; `where` answers undefined when a chunk cannot match). */
export function lookUpIn<V>(
  ctx: SyncContext,
  kind: TEntityKind,
  values: readonly V[],
  where: (query: Knex.QueryBuilder, chunk: V[]) => Knex.QueryBuilder | undefined,
): LookUp {
  const queries: Knex.QueryBuilder[] = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    const query = where(selectFrom(ctx, kind), values.slice(i, i + CHUNK));
    if (query) queries.push(query);
  }
  return { kind, queries };
}

/**
 * Runs the look-ups and hydrates their rows into the unit of work's identity map (`em.map`:
 * managed entities, the same object for one row however often it is found, relations as
 * references to the rows found before). On MariaDB the look-ups travel as one multi-statement
 * round trip, after `before` (the lock upsert, so that they read what the locks protect); on
 * SQLite, in process, one statement at a time. Returns each look-up's entities, in order.
 *
 * Why not `em.find` per kind: measured on the typical proposal, a find costs 2–4 ms of ORM work
 * and one round trip each (seven to nine a sync); the same rows hydrated with `em.map` cost
 * ~0.3 ms, in one round trip (docs/architecture.md).
 */
export async function fetchLookUps<const L extends readonly (LookUp | undefined)[]>(
  ctx: SyncContext,
  lookUps: L,
  before?: Statement,
): Promise<{ [K in keyof L]: Managed[] }> {
  type Out = { [K in keyof L]: Managed[] };
  const platform = ctx.em.getPlatform();
  const statements: Statement[] = before ? [before] : [];
  for (const lookUp of lookUps) {
    for (const query of lookUp?.queries ?? []) {
      const { sql, bindings } = query.toSQL();
      statements.push({ sql, params: bindings });
    }
  }
  if (statements.length === 0) return lookUps.map(() => []) as Out;
  let results: unknown[][];
  if (ctx.dialect === 'mysql') {
    // values are escaped by the platform (a newline becomes `\n`): `;\n` only separates statements
    const text = statements.map((s) => platform.formatQuery(s.sql, [...s.params])).join(';\n');
    const out = (await ctx.em.execute(text, [], 'all')) as unknown[];
    results = (statements.length === 1 ? [out] : out) as unknown[][];
  } else {
    results = [];
    for (const s of statements)
      results.push((await ctx.em.execute(s.sql, [...s.params], 'all')) as unknown[]);
  }
  let next = before ? 1 : 0;
  return lookUps.map((lookUp) => {
    const entities = new Set<Managed>();
    for (const _query of lookUp?.queries ?? []) {
      for (const row of results[next++] as Record<string, unknown>[])
        entities.add(ctx.em.map<Managed>(ENTITY[lookUp!.kind], row) as Managed);
    }
    return [...entities];
  }) as Out;
}
