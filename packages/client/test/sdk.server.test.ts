import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createUpsyncClient,
  type SyncBatchResult,
  type TSyncResult,
  UpsyncAuthError,
  type UpsyncClient,
  UpsyncValidationError,
} from '../src/index.js';
import { generatedPayload, runId } from './helpers/payloads.js';
import { mariadb, type RealServer, startRealServer, TOKEN } from './helpers/real-server.js';

const example = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../examples/${name}.json`, import.meta.url), 'utf8'));

describe.skipIf(!mariadb)('SDK against the real server and MariaDB', () => {
  let server: RealServer;
  let client: UpsyncClient;
  /** Every URL the client fetched, to count attempts. */
  const fetched: string[] = [];
  const run = runId();
  /** How many of the next tRPC requests answer 503 (as a proxy in front of a restarting server would). */
  let unavailable = 0;

  beforeAll(async () => {
    server = await startRealServer('sdk', (req, res) => {
      if (unavailable === 0 || !req.url?.startsWith('/trpc/')) return false;
      unavailable--;
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
      res.end(JSON.stringify({ error: { message: 'restarting', code: -32603, data: { httpStatus: 503 } } }));
      return true;
    });
    client = createUpsyncClient({
      url: server.url,
      token: TOKEN,
      retryDelayMs: 1,
      fetch: (input, init) => {
        fetched.push(String(input));
        return fetch(input, init);
      },
    });
  });
  afterAll(() => server?.close());

  it('round trip: syncs the py-ISPyB example, typed end to end, and a re-sync changes nothing', async () => {
    const first = await client.syncProposal(example('pyispyb-create'));
    expectTypeOf(first).toEqualTypeOf<TSyncResult>();
    expectTypeOf(client.syncProposals).returns.resolves.toEqualTypeOf<SyncBatchResult>();
    expect(first.proposal).toMatchObject({ proposalCode: 'I', proposalNumber: '20140076' });
    expect(first.proposal.proposalId).toEqual(expect.any(Number));
    expect(first.summary.proposal.created).toBe(1);
    expect(first.summary.persons.created).toBeGreaterThanOrEqual(3);
    expect(first.message).toMatch(/^The proposal I-20140076 has been synchronized in /);
    const [proposal] = await server.query<{ title: string }>(
      'SELECT title FROM Proposal WHERE proposalId = ?',
      [first.proposal.proposalId],
    );
    expect(proposal?.title).toBe('Proposal title');

    const again = await client.syncProposal(example('pyispyb-create'));
    for (const counts of Object.values(again.summary)) {
      expect(counts.created + counts.updated + counts.deleted).toBe(0);
    }
  });

  it('a dry run reports what would change and leaves the database unchanged', async () => {
    const before = await server.counts();
    const payload = generatedPayload(run, 1);
    const result = await client.syncProposal(payload, { dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.summary.proposal.created).toBe(1);
    expect(result.summary.sessions.created).toBe(1);
    expect(await server.counts()).toEqual(before);
    const rows = await server.query('SELECT proposalId FROM Proposal WHERE proposalNumber = ?', [
      payload.proposal.proposalNumber,
    ]);
    expect(rows).toEqual([]);
  });

  it('retries a 503, then succeeds: the proposal is written once', async () => {
    unavailable = 2;
    const before = fetched.length;
    const payload = generatedPayload(run, 6);
    const result = await client.syncProposal(payload);
    expect(result.summary.proposal.created).toBe(1);
    expect(fetched.length - before).toBe(3);
    const rows = await server.query('SELECT proposalId FROM Proposal WHERE proposalNumber = ?', [
      payload.proposal.proposalNumber,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('a refused payload throws UpsyncValidationError with every issue, after one request', async () => {
    const payload = generatedPayload(run, 2);
    payload.proposal.title = 'x'.repeat(1000);
    Object.assign(payload.sessions?.[0] ?? {}, { beamlineOperator: 'typo of beamLineOperator' });
    const before = fetched.length;
    const error = await client.syncProposal(payload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpsyncValidationError);
    const issues = (error as UpsyncValidationError).issues;
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      'proposal.title',
      'sessions[0].beamlineOperator',
    ]);
    expect((error as UpsyncValidationError).status).toBe(422);
    expect(fetched.length - before).toBe(1);
  });

  it('a wrong token is an UpsyncAuthError, never retried', async () => {
    const stranger = createUpsyncClient({ url: server.url, token: 'wrong', retries: 3 });
    const error = await stranger.syncProposal(generatedPayload(run, 3)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpsyncAuthError);
    expect((error as UpsyncAuthError).status).toBe(401);
  });

  it('syncProposals returns one result or error per payload, in order', async () => {
    const bad = { proposal: { proposalCode: 'CT', persons: [{ login: 'x' }] } };
    const batch = await client.syncProposals([
      generatedPayload(run, 4),
      bad as never,
      generatedPayload(run, 5),
    ]);
    expect(batch).toMatchObject({ succeeded: 2, failed: 1, dryRun: false });
    expect(batch.results.map((item) => [item.index, item.ok])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
    const failed = batch.results[1];
    expect(failed?.ok === false && failed.error.code).toBe('VALIDATION_FAILED');
    expect(failed?.ok === false && failed.error.errors?.map((e) => e.path)).toContain(
      'proposal.proposalNumber',
    );
    const rows = await server.query('SELECT proposalNumber FROM Proposal WHERE proposalNumber IN (?, ?)', [
      `${run}4`,
      `${run}5`,
    ]);
    expect(rows).toHaveLength(2);
  });

  it('schema() and ready() answer', async () => {
    const schema = await client.schema();
    expect(schema).toMatchObject({ type: 'object' });
    expect(JSON.stringify(schema)).toContain('proposalCode');
    expect(await client.ready()).toMatchObject({ ready: true, status: 200 });
  });
});
