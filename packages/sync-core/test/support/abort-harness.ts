import type { TSyncResult } from '@upsync/schema';
import { afterAll, beforeAll } from 'vitest';
import { closeOrm, createOrm, setupServiceTables, syncProposal, type UpsyncOrm } from '../../src/index.js';
import type { TestDatabase } from '../../src/testing/index.js';
import {
  difference,
  freshExample,
  inexactness,
  type RowCounts,
  rowCounts,
  unlessRetryableAndNothingWritten,
} from './exact-proposal.js';
import { type AbortInjector, type AbortMode, injectAbort } from './inject-abort.js';

/** A new proposal, or an update of a proposal created just before (UPDATEs and new rows). */
export type Scenario = 'create' | 'update';
export const SCENARIOS: Scenario[] = ['create', 'update'];

const HISTORY = { history: { principal: 'test' } };

export interface AbortedSync {
  result?: TSyncResult;
  error?: unknown;
  /** Why each retry happened (SyncOptions.onRetry). */
  reasons: string[];
  fired: boolean;
  /** The head of the statement the abort preceded. */
  statement: string | undefined;
  /** Why the outcome breaks the contract (undefined: the whole proposal, or a retryable error and nothing written). */
  problem: string | undefined;
}

export interface AbortHarness {
  abort: AbortInjector;
  /** Per scenario: the statements a clean sync's transaction sends after BEGIN (K ranges over them). */
  statements: Record<Scenario, string[]>;
  /** The number (1-based, after BEGIN) of the scenario's first statement matching `re`. */
  positionOf(scenario: Scenario, re: RegExp): number;
  /** A payload of the scenario with keys of its own (an update's proposal created first). */
  fresh(scenario: Scenario): Promise<Record<string, unknown>>;
  /** The scenario's payload (fresh keys), synced with history while attempt 1 is aborted before statement k. */
  syncAbortedAt(scenario: Scenario, k: number, mode: AbortMode): Promise<AbortedSync>;
}

/**
 * Aborted syncs on `orm`, each judged against a clean sync of the same scenario: first the clean
 * runs (what they write, which statements they send), then any number of aborted ones.
 */
export async function abortHarness(orm: UpsyncOrm): Promise<AbortHarness> {
  const abort = await injectAbort(orm);
  let serial = 0;
  const payloadFor = async (scenario: Scenario) => {
    const s = ++serial;
    if (scenario === 'update') await syncProposal(orm, freshExample('pyispyb-create', s));
    return freshExample(scenario === 'create' ? 'pyispyb-create' : 'pyispyb-update', s);
  };
  // MikroORM asks for auto_increment_increment before a handle's first UPDATE: not in the runs below
  await syncProposal(orm, await payloadFor('update'));

  const clean = {} as Record<Scenario, { rows: RowCounts; statements: string[] }>;
  for (const scenario of SCENARIOS) {
    const payload = await payloadFor(scenario);
    const before = await rowCounts(orm);
    abort.arm(Number.POSITIVE_INFINITY);
    await syncProposal(orm, payload, HISTORY);
    clean[scenario] = { rows: difference(await rowCounts(orm), before), statements: [...abort.statements] };
    abort.disarm();
  }

  return {
    abort,
    statements: { create: clean.create.statements, update: clean.update.statements },
    fresh: payloadFor,
    positionOf(scenario, re) {
      const i = clean[scenario].statements.findIndex((sql) => re.test(sql));
      if (i < 0) throw new Error(`no statement matches ${re}:\n${clean[scenario].statements.join('\n')}`);
      return i + 1;
    },
    async syncAbortedAt(scenario, k, mode) {
      const payload = await payloadFor(scenario);
      const before = await rowCounts(orm);
      const reasons: string[] = [];
      abort.arm(k, mode);
      const outcome = await syncProposal(orm, payload, {
        ...HISTORY,
        onRetry: (reason) => reasons.push(reason),
      }).then(
        (result) => ({ result, error: undefined }),
        (error: unknown) => ({ result: undefined, error }),
      );
      const { fired } = abort;
      const statement = abort.statements[k - 1]?.slice(0, 60);
      abort.disarm();
      const problem = !fired
        ? 'the abort never happened'
        : outcome.result
          ? await inexactness(orm, payload, outcome.result, { before, expected: clean[scenario].rows })
          : await unlessRetryableAndNothingWritten(orm, outcome.error, before);
      return { ...outcome, reasons, fired, statement, problem };
    },
  };
}

/** The database and the harness of one server's suite (set by `abortSuite`'s beforeAll). */
export interface AbortSuite {
  orm: UpsyncOrm;
  harness: AbortHarness;
}

/**
 * Registers a suite's set-up on `server`: a fresh database with upsync's tables, an orm on it
 * (`configure` may switch its internals before the harness records the statements), and the
 * harness; all closed after the suite. Nothing when the server is skipped.
 */
export function abortSuite(
  server: { skip: boolean; database: () => Promise<TestDatabase> },
  configure: (orm: UpsyncOrm) => void = () => {},
): AbortSuite {
  const suite = {} as AbortSuite;
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    if (server.skip) return;
    db = await server.database();
    suite.orm = await createOrm({ databaseUrl: db.url, timeZone: 'Europe/Berlin' });
    await setupServiceTables(suite.orm);
    configure(suite.orm);
    suite.harness = await abortHarness(suite.orm);
  });
  afterAll(async () => {
    if (suite.orm) await closeOrm(suite.orm);
    await db?.drop();
  });
  return suite;
}
