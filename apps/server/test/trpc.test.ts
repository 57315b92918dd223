import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client';
import { ZSyncBatchResult, ZSyncResult } from '@upsync/schema';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AppRouter } from '../src/router.js';
import { example } from './helpers/examples.js';
import { bearer, serverForFile } from './helpers/server.js';

// The guarantees hold without NODE_ENV=production (stacks are stripped, never hidden by env).
delete process.env.NODE_ENV;

const srv = serverForFile();

const client = (headers: Record<string, string> = bearer()) =>
  createTRPCClient<AppRouter>({ links: [httpLink({ url: `${srv.url}/trpc`, headers })] });

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

describe('tRPC transport', () => {
  it('syncProposal syncs the example and returns the structured result', async () => {
    const result = await client().syncProposal.mutate({ payload: example('pyispyb-create') });
    expectTypeOf(result.proposal.proposalNumber).toEqualTypeOf<string>();
    expect(result.message).toMatch(/^The proposal I-20140076 has been synchronized in /);
    expect(result.dryRun).toBe(false);
    expect(result.summary.proposal.created).toBe(1);
    // the router does not parse its output on every request (router.ts): the contract holds, to the key
    expect(ZSyncResult.strict().parse(result)).toEqual(result);
  });

  it('dryRunProposal rolls back', async () => {
    const result = await client().dryRunProposal.mutate({ payload: example('pyispyb-update') });
    expect(ZSyncResult.strict().parse(result)).toEqual(result);
    expect(result.dryRun).toBe(true);
    expect(result.summary.proposal.updated).toBe(1);
    const again = await client().dryRunProposal.mutate({ payload: example('pyispyb-update') });
    expect(again.summary.proposal.updated).toBe(1);
  });

  it('syncProposals returns one result per item in order', async () => {
    const bad = example('pyispyb-create');
    bad.proposal.persons[0].familyName = 'x'.repeat(5000);
    const result = await client().syncProposals.mutate({
      payloads: [example('pyispyb-create'), bad],
      dryRun: true,
    });
    expect(result).toMatchObject({ succeeded: 1, failed: 1, dryRun: true });
    expect(ZSyncBatchResult.parse(result)).toEqual(result);
    const [first, second] = result.results;
    expect(first?.ok).toBe(true);
    expect(second?.ok === false && second.error.code).toBe('VALIDATION_FAILED');
  });

  it('schema returns the JSON Schema', async () => {
    const schema = await client().schema.query();
    expect(schema).toMatchObject({ type: 'object' });
  });

  it('works through the batching link too', async () => {
    const batched = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${srv.url}/trpc`, headers: bearer() })],
    });
    const [schema, dry] = await Promise.all([
      batched.schema.query(),
      batched.dryRunProposal.mutate({ payload: example('pyispyb-create') }),
    ]);
    expect(schema).toMatchObject({ type: 'object' });
    expect(dry.dryRun).toBe(true);
  });
});

describe('tRPC errors', () => {
  it('validation: UNPROCESSABLE_CONTENT with data.upsync issues, and no stack', async () => {
    const payload = example('pyispyb-create');
    payload.sessions[1].persons[0].familyName = 'x'.repeat(5000);
    const error = await failure(client().syncProposal.mutate({ payload }));
    expect(error.data?.code).toBe('UNPROCESSABLE_CONTENT');
    expect(error.data?.httpStatus).toBe(422);
    expect(error.data?.upsync).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });
    expect(error.data?.upsync.errors).toContainEqual(
      expect.objectContaining({ path: 'sessions[1].persons[0].familyName' }),
    );
    expect(error.data).not.toHaveProperty('stack');
  });

  it('wrapper input errors are VALIDATION_FAILED too', async () => {
    const error = await failure(
      client().syncProposal.mutate({
        payload: example('pyispyb-create'),
        reconcile: 'yes' as unknown as boolean,
      }),
    );
    // one mapping: VALIDATION_FAILED is 422 UNPROCESSABLE_CONTENT on both transports
    expect(error.data?.code).toBe('UNPROCESSABLE_CONTENT');
    expect(error.data?.upsync).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ path: 'reconcile' })],
    });
    expect(error.data).not.toHaveProperty('stack');
  });

  it('no token: UNAUTHORIZED; a token without uportal_sync: FORBIDDEN', async () => {
    const anonymous = await failure(client({}).schema.query());
    expect(anonymous.data?.code).toBe('UNAUTHORIZED');
    expect(anonymous.data?.httpStatus).toBe(401);
    const wrong = await failure(client({ Authorization: 'Bearer nope-nope-nope-nope' }).schema.query());
    expect(wrong.data?.code).toBe('UNAUTHORIZED');
  });

  it('an unknown procedure is NOT_FOUND', async () => {
    const res = await fetch(`${srv.url}/trpc/dropTables`, { headers: bearer() });
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(JSON.stringify(body)).not.toMatch(/\n\s+at /);
  });

  it('a 20 MB body is PAYLOAD_TOO_LARGE', async () => {
    const payload = example('pyispyb-create');
    payload.proposal.title = 'x'.repeat(20 * 1024 * 1024);
    const res = await fetch(`${srv.url}/trpc/syncProposal`, {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ payload }),
    });
    expect(res.status).toBe(413);
  });
});
