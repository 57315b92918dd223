import type { TEntityKind } from '@upsync/schema';
import type { Expression, ExpressionBuilder, Kysely, SelectQueryBuilder, SqlBool } from 'kysely';
import type { Statement } from '../db/sql.js';
import type { IspybEntityName } from '../entities/build-entities.js';
import type { IspybDb } from '../entities/ispyb-rows.js';
import type { SyncContext } from './context.js';
import { ENTITY, entityOf, type RowOf, type TableOf } from './kinds.js';

/** MikroORM 7's SQL builder for hand-written look-ups (`em.getKysely()`, Kysely underneath), typed by the declaration. */
export type Sql = Kysely<IspybDb>;

/** A SELECT of one table. */
export type Query = SelectQueryBuilder<IspybDb, IspybEntityName, object>;

/** A condition on one table's columns (a relation by its column: `proposalId`, `sessionId`). */
export type Where<N extends IspybEntityName> = (eb: ExpressionBuilder<IspybDb, N>) => Expression<SqlBool>;

/** One entity kind's look-up: its SELECTs (one per chunk of keys; none, or no look-up, when nothing can match). */
export interface LookUp<K extends TEntityKind = TEntityKind> {
  kind: K;
  queries: (Query | Statement)[];
}

// SQLite refuses a statement over 1,000 OR terms deep or 32,766 parameters: keys go in chunks
const CHUNK = 300;

/** A SELECT of every column of `kind`'s table where `where` holds. */
export function selectWhere<K extends TEntityKind>(
  ctx: SyncContext,
  kind: K,
  where: Where<TableOf<K>>,
): Query {
  // one table, whichever: Kysely cannot narrow a generic table name
  const table: IspybEntityName = ENTITY[kind];
  return ctx.sql
    .selectFrom(table)
    .selectAll()
    .where(where as Where<IspybEntityName>) as Query;
}

/**
 * The rows of `kind` matching any of `branches`, as one SELECT per branch joined by UNION ALL
 * (undefined: no branch). Not one WHERE with OR: MariaDB then gives up its indexes when a branch
 * holds a subquery and scans the table (measured: 130 ms at 100,000 sessions, EXPLAIN type ALL);
 * each SELECT of a union keeps its own index.
 */
export function selectAny<K extends TEntityKind>(
  ctx: SyncContext,
  kind: K,
  branches: Where<TableOf<K>>[],
): Statement | undefined {
  if (branches.length === 0) return undefined;
  const selects = branches.map((branch) => statementOf(selectWhere(ctx, kind, branch)));
  return {
    sql: selects.map((s) => s.sql).join(' union all '),
    params: selects.flatMap((s) => s.params),
  };
}

function statementOf(query: Query | Statement): Statement {
  if (!('compile' in query)) return query;
  const { sql, parameters } = query.compile();
  return { sql, params: parameters };
}

/** The rows a look-up finds. */
type RowsOf<L> = L extends LookUp<infer K> ? RowOf<K>[] : never[];

/** The look-up of `kind` for `values`, one SELECT per chunk of them (normally one; `where` answers undefined when a chunk cannot match). */
export function lookUpIn<K extends TEntityKind, V>(
  ctx: SyncContext,
  kind: K,
  values: readonly V[],
  where: (chunk: V[]) => Where<TableOf<K>> | undefined,
): LookUp<K> {
  const queries: Query[] = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    const condition = where(values.slice(i, i + CHUNK));
    if (condition) queries.push(selectWhere(ctx, kind, condition));
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
): Promise<{ [I in keyof L]: RowsOf<L[I]> }> {
  type Out = { [I in keyof L]: RowsOf<L[I]> };
  const platform = ctx.em.getPlatform();
  const statements: Statement[] = before ? [before] : [];
  for (const lookUp of lookUps) {
    for (const query of lookUp?.queries ?? []) statements.push(statementOf(query));
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
    const entities = new Set<object>();
    for (const _query of lookUp?.queries ?? []) {
      for (const row of results[next++] as Record<string, unknown>[])
        entities.add(ctx.em.map(entityOf(ctx, lookUp!.kind), row));
    }
    return [...entities];
  }) as Out;
}
