import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createUpsyncClient,
  type TSyncRun,
  type TSyncRunDiff,
  type TSyncStats,
  type UpsyncClient,
  UpsyncError,
  UpsyncNotFoundError,
  UpsyncValidationError,
} from '../src/index.js';
import { SQLITE_TOKEN, startSqliteServer } from './helpers/sqlite-server.js';

const example = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../examples/${name}.json`, import.meta.url), 'utf8'));

// The console's calls, through the SDK as the console makes them (the server: `npm start`'s SQLite)
describe('the SDK’s history methods (the console’s API)', () => {
  let server: Awaited<ReturnType<typeof startSqliteServer>>;
  let client: UpsyncClient;
  beforeAll(async () => {
    server = await startSqliteServer({ UPSYNC_HISTORY_PAYLOADS: 'true' });
    client = createUpsyncClient({ url: server.url, token: SQLITE_TOKEN, retries: 0 });
    await client.syncProposal(example('pyispyb-create'));
    await client.syncProposal(example('pyispyb-update'));
  });
  afterAll(() => server?.close());

  it('syncRuns filters, syncRun, syncStats and syncRunDiff, typed from the schema package', async () => {
    const page = await client.syncRuns({ outcome: 'changed', principal: 'registry-tests', limit: 10 });
    const [update, create] = page.runs;
    expect(page.runs.map((r) => r.outcomeClass)).toEqual(['changed', 'changed']);
    const run = await client.syncRun(update!.id);
    expectTypeOf(run).toEqualTypeOf<TSyncRun>();
    expect(run.payload).toEqual(example('pyispyb-update'));

    const stats = await client.syncStats({ range: '1h' });
    expectTypeOf(stats).toEqualTypeOf<TSyncStats>();
    expect(stats.totals).toMatchObject({ changed: 2, total: 2 });

    const diff = await client.syncRunDiff({ from: create!.id, to: update!.id });
    expectTypeOf(diff).toEqualTypeOf<TSyncRunDiff>();
    expect(diff.changes).toContainEqual(
      expect.objectContaining({ kind: 'sessions', field: 'beamLineName', current: 'P11', wanted: 'ID23-1' }),
    );
  });

  it('replays a run: dry run and sync again, the history says so', async () => {
    const [last] = (await client.syncRuns({ limit: 1 })).runs;
    const dry = await client.syncProposal(last!.payload as never, { dryRun: true, replayOf: last!.id });
    expect(dry.dryRun).toBe(true);
    await client.syncProposal(last!.payload as never, { replayOf: last!.id });
    const [again, dryRun] = (await client.syncRuns({ limit: 2 })).runs;
    expect(again).toMatchObject({ replayOf: last!.id, dryRun: false, outcomeClass: 'unchanged' });
    expect(dryRun).toMatchObject({ replayOf: last!.id, outcomeClass: 'dryRun' });
  });

  it('errors come as the SDK’s classes: unknown run, bad filter, bad replay link', async () => {
    await expect(client.syncRun(999_999)).rejects.toBeInstanceOf(UpsyncNotFoundError);
    await expect(client.syncRunDiff({ from: 1, to: 999_999 })).rejects.toBeInstanceOf(UpsyncNotFoundError);
    const bad = await client.syncRuns({ from: 'yesterday' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(UpsyncValidationError);
    expect((bad as UpsyncValidationError).issues[0]?.path).toBe('from');
    const replay = await client
      .syncProposal(example('pyispyb-create'), { replayOf: 999_999 })
      .catch((e: unknown) => e);
    expect(replay).toBeInstanceOf(UpsyncValidationError);
    expect((replay as UpsyncValidationError).issues).toEqual([
      { path: 'replayOf', message: 'no recorded sync run 999999', code: 'invalid_replay' },
    ]);
    // a run recorded without payload cannot be diffed: a 412 with the reason
    const noPayload = await startSqliteServer({});
    try {
      const plain = createUpsyncClient({ url: noPayload.url, token: SQLITE_TOKEN, retries: 0 });
      await plain.syncProposal(example('pyispyb-create'));
      await plain.syncProposal(example('pyispyb-update'));
      const error = await plain.syncRunDiff({ from: 1, to: 2 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpsyncError);
      expect(error).toMatchObject({ code: 'PRECONDITION_FAILED', status: 412 });
      expect((error as Error).message).toMatch(/UPSYNC_HISTORY_PAYLOADS=true/);
    } finally {
      await noPayload.close();
    }
  });
});
