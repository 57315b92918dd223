import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, loadConfig, tokensFromPairs } from '@upsync/server';
import { closeOrm, createOrm, type UpsyncOrm } from '@upsync/sync-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpsyncClient, type RetryEvent, UpsyncUnavailableError } from '../src/index.js';

const SECRET = 'rate-limit-secret-0123456789';
let orm: UpsyncOrm;
let server: Server;
let url: string;

// The real app on embedded SQLite, allowing a principal 2 requests per 1.5 s.
beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'upsync-client-rate-'));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${path.join(dir, 'upsync.sqlite')}`,
    UPSYNC_API_TOKENS: `portal:${SECRET}`,
    UPSYNC_RATE_LIMIT: '2',
    UPSYNC_RATE_LIMIT_WINDOW_MS: '1500',
  });
  orm = await createOrm({ databaseUrl: config.databaseUrl });
  const app = createApp({
    orm,
    config,
    logger: pino({ level: 'silent' }),
    tokens: tokensFromPairs(config.apiTokens),
  });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await closeOrm(orm);
});

describe('the SDK and the server’s rate limit', () => {
  it('waits the 429’s Retry-After, then succeeds', async () => {
    const retries: RetryEvent[] = [];
    const client = createUpsyncClient({
      url,
      token: SECRET,
      retryDelayMs: 1,
      maxRetryDelayMs: 5000,
      onRetry: (e) => retries.push(e),
    });
    await client.schema();
    await client.schema();
    const started = Date.now();
    await client.schema();
    expect(retries[0]?.reason).toBe('HTTP 429');
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('without retries left: an UpsyncUnavailableError TOO_MANY_REQUESTS, retryable', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const client = createUpsyncClient({ url, token: SECRET, retries: 0 });
    await client.schema();
    await client.schema();
    const error = await client.schema().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpsyncUnavailableError);
    expect(error).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429, retryable: true });
  });
});
