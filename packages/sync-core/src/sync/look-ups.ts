import type { TEntityKind } from '@upsync/schema';
import type { Expression, ExpressionBuilder, Kysely, SelectQueryBuilder, SqlBool } from 'kysely';
import type { Statement } from '../db/sql.js';
import type { Managed, SyncContext } from './context.js';
import { ENTITY, entityOf } from './entities.js';

/**
 * ISPyB's tables as the look-ups see them: any table, any column. The tables are not known to the
 * type checker (the entities are built at run time from the live columns); every name in a
 * look-up is a literal of the module that builds it.
 */
// biome-ignore lint/suspicious/noExplicitAny: table and column names are checked by the tests, not the type checker
export type Tables = Record<string, Record<string, any>>;

/** MikroORM 7's SQL builder for hand-written look-ups (`em.getKysely()`, Kysely underneath). */
export type Sql = Kysely<Tables>;

/** A SELECT of one table. */
export type Query = SelectQueryBuilder<Tables, string, Record<string, unknown>>;

/** A condition on one table's columns (a relation by its column: `proposalId`, `sessionId`). */
export type Where = (eb: ExpressionBuilder<Tables, string>) => Expression<SqlBool>;

/** One entity kind's look-up: its SELECTs (one per chunk of keys; none, or no look-up, when nothing can match). */
export interface LookUp {
  kind: TEntityKind;
  queries: (Query | Statement)[];
}

// SQLite refuses a statement over 1,000 OR terms deep or 32,766 parameters: keys go in chunks
const CHUNK = 300;

/** A SELECT of every column of `kind`'s table where `where` holds. */
export function selectWhere(ctx: SyncContext, kind: TEntityKind, where: Where): Query {
  return ctx.sql.selectFrom(ENTITY[kind]).selectAll().where(where) as Query;
}

/**
 * The rows of `kind` matching any of `branches`, as one SELECT per branch joined by UNION ALL
 * (undefined: no branch). Not one WHERE with OR: MariaDB then gives up its indexes when a branch
 * holds a subquery and scans the table (measured: 130 ms at 100,000 sessions, EXPLAIN type ALL);
 * each SELECT of a union keeps its own index.
 */
export function selectAny(ctx: SyncContext, kind: TEntityKind, branches: Where[]): Statement | undefined {
  if (branches.length === 0) return undefined;
  const selects = branches.map((branch) => statementOf(selectWhere(ctx, kind, branch)));
  return {
    sql: selects.map((s) => s.sql).join(' union all '),
    params: selects.flatMap((s) => s.params),
  };
}

/** `column = value`, or `column IS NULL` for null (ISPyB's laboratory keys may be NULL). */
export function equalOrNull(eb: ExpressionBuilder<Tables, string>, column: string, value: unknown) {
  return value === null ? eb(column, 'is', null) : eb(column, '=', value);
}

function statementOf(query: Query | Statement): Statement {
  if (!('compile' in query)) return query;
  const { sql, parameters } = query.compile();
  return { sql, params: parameters };
}

/** The look-up of `kind` for `values`, one SELECT per chunk of them (normally one; `where` answers undefined when a chunk cannot match). */
export function lookUpIn<V>(
  ctx: SyncContext,
  kind: TEntityKind,
  values: readonly V[],
  where: (chunk: V[]) => Where | undefined,
): LookUp {
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
): Promise<{ [K in keyof L]: Managed[] }> {
  type Out = { [K in keyof L]: Managed[] };
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
    const entities = new Set<Managed>();
    for (const _query of lookUp?.queries ?? []) {
      for (const row of results[next++] as Record<string, unknown>[])
        entities.add(ctx.em.map(entityOf(ctx, lookUp!.kind), row));
    }
    return [...entities];
  }) as Out;
}
