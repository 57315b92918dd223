import { afterEach, describe, expect, it } from 'vitest';
import {
  createUpsyncClient,
  type RetryEvent,
  UpsyncAuthError,
  UpsyncConflictError,
  UpsyncError,
  UpsyncNotFoundError,
  UpsyncUnavailableError,
  UpsyncValidationError,
} from '../src/index.js';
import { sampleResult, sendJson, startScriptedServer, trpcError } from './helpers/scripted-server.js';

const payload = { proposal: { proposalCode: 'MX', proposalNumber: '1', persons: [{ login: 'x' }] } };
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function serve(script: Parameters<typeof startScriptedServer>[0]) {
  const server = await startScriptedServer(script);
  close = server.close;
  return server;
}

/** A client that retries fast, recording each retry. */
function fastClient(
  url: string,
  extra: Parameters<typeof createUpsyncClient>[0] extends infer O ? Partial<O> : never = {},
) {
  const retries: RetryEvent[] = [];
  const client = createUpsyncClient({
    url,
    token: 'secret',
    retries: 3,
    retryDelayMs: 1,
    maxRetryDelayMs: 50,
    onRetry: (event) => retries.push(event),
    ...extra,
  });
  return { client, retries };
}

const unavailable = trpcError(503, 'SERVICE_UNAVAILABLE', {
  code: 'DATABASE_UNAVAILABLE',
  detail: 'The database is not reachable',
  retryable: true,
});

describe('retries', () => {
  it('retries a 503 and returns the result of the attempt that succeeds', async () => {
    const server = await serve((_req, n, res) =>
      n === 1
        ? sendJson(res, 503, unavailable, { 'retry-after': '0' })
        : sendJson(res, 200, { result: { data: sampleResult() } }),
    );
    const { client, retries } = fastClient(server.url);
    const result = await client.syncProposal(payload);
    expect(result.proposal).toEqual({ proposalId: 1, proposalCode: 'MX', proposalNumber: '1' });
    expect(server.requests).toHaveLength(2);
    expect(retries).toEqual([{ attempt: 1, delayMs: expect.any(Number), reason: 'HTTP 503' }]);
    // Both attempts are the same call: same procedure, same body, same token.
    for (const request of server.requests) {
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/trpc/syncProposal');
      expect(request.headers.authorization).toBe('Bearer secret');
      expect(JSON.parse(request.body)).toEqual({ payload });
    }
  });

  it('gives up after `retries` and throws UpsyncUnavailableError with the server detail', async () => {
    const server = await serve((_req, _n, res) => sendJson(res, 503, unavailable));
    const { client } = fastClient(server.url, { retries: 2 });
    const error = await client.syncProposal(payload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpsyncUnavailableError);
    expect(error).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      status: 503,
      retryable: true,
      message: 'The database is not reachable',
    });
    expect(server.requests).toHaveLength(3);
  });

  it('honours Retry-After, capped by maxRetryDelayMs', async () => {
    const server = await serve((_req, n, res) =>
      n === 1
        ? sendJson(res, 503, unavailable, { 'retry-after': '3600' })
        : sendJson(res, 200, { result: { data: sampleResult() } }),
    );
    const { client, retries } = fastClient(server.url, { maxRetryDelayMs: 120 });
    const started = Date.now();
    await client.syncProposal(payload);
    expect(retries[0]?.delayMs).toBe(120);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('retries network errors, then reports the socket error', async () => {
    const server = await serve(() => undefined);
    const url = server.url;
    await server.close();
    close = undefined;
    const { client, retries } = fastClient(url, { retries: 2 });
    const error = await client.syncProposal(payload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpsyncUnavailableError);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true, status: undefined });
    expect((error as Error).message).toMatch(
      /Cannot reach http:\/\/127\.0\.0\.1:\d+\/trpc\/syncProposal: connect ECONNREFUSED/,
    );
    expect(retries).toHaveLength(2);
  });

  it('times out a request that gets no answer', async () => {
    const server = await serve(() => undefined); // never answers
    const { client } = fastClient(server.url, { retries: 1, timeoutMs: 100 });
    const error = await client.syncProposal(payload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpsyncUnavailableError);
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect(server.requests).toHaveLength(2);
  });

  it('turns a proxy HTML 502 page into UpsyncUnavailableError once retries are spent', async () => {
    const server = await serve((_req, _n, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    });
    const { client } = fastClient(server.url, { retries: 1 });
    const error = await client.syncProposal(payload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpsyncUnavailableError);
    expect((error as Error).message).toContain('HTTP 502');
    expect(server.requests).toHaveLength(2);
  });
});

describe('errors that are never retried', () => {
  it('422: UpsyncValidationError with every issue, one request only', async () => {
    const issues = [
      { path: 'proposal.title', message: 'too long: 300 > 255 characters', code: 'too_long' },
      {
        path: 'sessions[0].beamlineOperator',
        message: 'unknown key; did you mean beamLineOperator?',
        code: 'unrecognized_keys',
      },
    ];
    const server = await serve((_req, _n, res) =>
      sendJson(
        res,
        422,
        trpcError(422, 'UNPROCESSABLE_CONTENT', {
          code: 'VALIDATION_FAILED',
          detail: 'The payload is invalid',
          retryable: false,
          errors: issues,
        }),
      ),
    );
    const { client, retries } = fastClient(server.url);
    const error = await client.syncProposal(payload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpsyncValidationError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 422, retryable: false, issues });
    expect(server.requests).toHaveLength(1);
    expect(retries).toHaveLength(0);
  });

  it.each([
    [401, 'UNAUTHORIZED', UpsyncAuthError],
    [403, 'FORBIDDEN', UpsyncAuthError],
    [404, 'NOT_FOUND', UpsyncNotFoundError],
    [409, 'CONFLICT', UpsyncConflictError],
    [500, 'INTERNAL_SERVER_ERROR', UpsyncError],
  ] as const)('%i: %s maps to its class, one request only', async (status, trpcCode, errorClass) => {
    const code = status === 409 ? 'IDENTITY_CONFLICT' : status === 500 ? 'INTERNAL' : trpcCode;
    const server = await serve((_req, _n, res) =>
      sendJson(
        res,
        status,
        trpcError(status, trpcCode, { code, detail: `nope ${status}`, retryable: false, requestId: 'r-1' }),
      ),
    );
    const { client } = fastClient(server.url);
    const error = await client.syncProposal(payload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({
      code,
      status,
      retryable: false,
      message: `nope ${status}`,
      requestId: 'r-1',
    });
    if (status !== 500) expect(error).not.toBeInstanceOf(UpsyncUnavailableError);
    expect(server.requests).toHaveLength(1);
  });

  it('a wrong base URL (HTML 404) is a clear UpsyncNotFoundError', async () => {
    const server = await serve((_req, _n, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('Cannot POST /trpc/syncProposal');
    });
    const { client } = fastClient(server.url);
    const error = await client.syncProposal(payload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpsyncNotFoundError);
    expect((error as Error).message).toContain('Cannot POST /trpc/syncProposal');
    expect(server.requests).toHaveLength(1);
  });
});

describe('operations', () => {
  it('dryRun and reconcile pick the procedure and input; batches and schema go to theirs', async () => {
    const batch = {
      message: '1 of 1',
      succeeded: 1,
      failed: 0,
      dryRun: true,
      results: [{ index: 0, ok: true, result: sampleResult() }],
    };
    const server = await serve((req, _n, res) => {
      if (req.url.startsWith('/trpc/schema'))
        return sendJson(res, 200, { result: { data: { type: 'object' } } });
      if (req.url === '/trpc/syncProposals') return sendJson(res, 200, { result: { data: batch } });
      return sendJson(res, 200, { result: { data: sampleResult({ dryRun: true, reconcile: true }) } });
    });
    const { client } = fastClient(`${server.url}/`);
    const dry = await client.syncProposal(payload, { dryRun: true, reconcile: true });
    expect(dry.dryRun).toBe(true);
    expect(await client.syncProposals([payload], { dryRun: true })).toEqual(batch);
    expect(await client.schema()).toEqual({ type: 'object' });
    expect(
      server.requests.map((r) => [r.method, r.url.split('?')[0], r.body ? JSON.parse(r.body) : null]),
    ).toEqual([
      ['POST', '/trpc/dryRunProposal', { payload, reconcile: true }],
      ['POST', '/trpc/syncProposals', { payloads: [payload], dryRun: true }],
      ['GET', '/trpc/schema', null],
    ]);
  });

  it('ready() reports a 503 as not ready without retrying, and a token function is called per request', async () => {
    let ready = false;
    const server = await serve((_req, _n, res) =>
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ok' : 'database unreachable' }),
    );
    let calls = 0;
    const { client } = fastClient(server.url, { token: () => `t${++calls}` });
    expect(await client.ready()).toEqual({
      ready: false,
      status: 503,
      details: { status: 'database unreachable' },
    });
    ready = true;
    expect(await client.ready()).toMatchObject({ ready: true, status: 200 });
    expect(server.requests.map((r) => [r.url, r.headers.authorization])).toEqual([
      ['/ready', 'Bearer t1'],
      ['/ready', 'Bearer t2'],
    ]);
  });

  it('uses the injected fetch', async () => {
    const seen: string[] = [];
    const client = createUpsyncClient({
      url: 'http://upsync.invalid',
      fetch: async (input) => {
        seen.push(String(input));
        return new Response(JSON.stringify({ result: { data: sampleResult() } }), {
          headers: { 'content-type': 'application/json' },
        });
      },
    });
    await client.syncProposal(payload);
    expect(seen).toEqual(['http://upsync.invalid/trpc/syncProposal']);
  });
});
