import { mkdtemp, readFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { serve } from '../src/serve.js';

const EXAMPLE = new URL('../../../examples/pyispyb-create.json', import.meta.url);
const quiet = createLogger({ level: 'silent' });
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  while (stops.length > 0) await stops.pop()!();
});

/** What `npm start` prints, captured. */
async function start(env: Record<string, string>, logger = quiet) {
  const printed: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
  // no drain before closing unless a test asks for one (UPSYNC_SHUTDOWN_DRAIN_MS)
  const running = await serve(loadConfig({ PORT: '0', UPSYNC_SHUTDOWN_DRAIN_MS: '0', ...env }), logger);
  vi.restoreAllMocks();
  stops.push(() => running.shutdown('test'));
  return { ...running, printed: printed.join('') };
}

describe('npm start on a fresh clone', () => {
  it('creates a development token in data/, prints a curl that works, and reuses the token on restart', async () => {
    const dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'upsync-start-')), 'data');
    const first = await start({ UPSYNC_DATA_DIR: dataDir });
    const curl =
      /curl -H "Authorization: Bearer (\S+)" -H 'Content-Type: application\/json' \\\n\s+--data @examples\/pyispyb-create\.json (http:\/\/\S+)/.exec(
        first.printed,
      );
    expect(curl, first.printed).not.toBeNull();
    const [, token, url] = curl!;
    expect((await readFile(path.join(dataDir, 'dev-token'), 'utf8')).trim()).toBe(token);

    // What the pasted curl does:
    const res = await fetch(url!, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: await readFile(EXAMPLE, 'utf8'),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { message: string }).message).toMatch(
      /^The proposal I-20140076 has been synchronized/,
    );
    await stops.pop()!();

    // shown once: a restart's banner reads it from its file instead
    const second = await start({ UPSYNC_DATA_DIR: dataDir });
    expect(second.printed).not.toContain(token);
    expect(second.printed).toContain(`Bearer $(cat '${path.join(dataDir, 'dev-token')}')`);
  });

  it('refuses to invent a token for a configured (production) database', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'upsync-start-'));
    const config = loadConfig({ PORT: '0', DATABASE_URL: `sqlite:${path.join(dataDir, 'db.sqlite')}` });
    await expect(serve(config, quiet)).rejects.toThrow(ConfigError);
    await expect(serve(config, quiet)).rejects.toThrow('UPSYNC_API_TOKENS');
  });

  it('shuts down gracefully: in-flight requests finish, new connections are refused', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'upsync-start-'));
    const running = await start({
      UPSYNC_DATA_DIR: dataDir,
      UPSYNC_API_TOKENS: 'portal:portal-secret-0123456789',
    });
    const body = Buffer.from(await readFile(EXAMPLE, 'utf8'));
    // A request whose body is still arriving when the shutdown starts.
    const req = http.request({
      port: running.port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/ispyb/api/v1/webservices/userportalsync/sync_proposal',
      headers: {
        Authorization: 'Bearer portal-secret-0123456789',
        'Content-Type': 'application/json',
        'Content-Length': body.length,
      },
    });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
    });
    req.write(body.subarray(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = running.shutdown('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 50));
    req.end(body.subarray(10));
    const done = await response;
    expect(done.status, done.text).toBe(200);
    await stopped;
    await expect(fetch(`http://127.0.0.1:${running.port}/health`)).rejects.toThrow();
  });

  it('drains first on SIGTERM: /ready answers 503 while syncs are still served (Connection: close), then it stops accepting', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'upsync-start-'));
    const running = await start({
      UPSYNC_DATA_DIR: dataDir,
      UPSYNC_API_TOKENS: 'portal:portal-secret-0123456789',
      UPSYNC_READY_PUBLIC: 'true',
      UPSYNC_SHUTDOWN_DRAIN_MS: '1500',
    });
    const base = `http://127.0.0.1:${running.port}`;
    const body = await readFile(EXAMPLE, 'utf8');
    const post = () =>
      fetch(`${base}/ispyb/api/v1/webservices/userportalsync/sync_proposal`, {
        method: 'POST',
        headers: { Authorization: 'Bearer portal-secret-0123456789', 'Content-Type': 'application/json' },
        body,
      });
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    const started = Date.now();
    const stopped = running.shutdown('SIGTERM');
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', detail: 'shutting down' });
    expect((await fetch(`${base}/health`)).status).toBe(200);
    // still serving while the load balancer takes it out, and telling keep-alive clients to leave
    const synced = await post();
    expect(synced.status).toBe(200);
    expect(synced.headers.get('connection')).toBe('close');
    await stopped;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  });

  it('logs every SQL statement at LOG_LEVEL=trace, and none at debug', async () => {
    const sync = async (level: string) => {
      const lines: Record<string, unknown>[] = [];
      const logger = createLogger({
        level,
        destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
      });
      const dataDir = await mkdtemp(path.join(tmpdir(), 'upsync-start-'));
      const running = await start(
        { UPSYNC_DATA_DIR: dataDir, UPSYNC_API_TOKENS: 'portal:portal-secret-0123456789' },
        logger,
      );
      const res = await fetch(
        `http://127.0.0.1:${running.port}/ispyb/api/v1/webservices/userportalsync/sync_proposal`,
        {
          method: 'POST',
          headers: { Authorization: 'Bearer portal-secret-0123456789', 'Content-Type': 'application/json' },
          body: await readFile(EXAMPLE, 'utf8'),
        },
      );
      expect(res.status).toBe(200);
      await stops.pop()!();
      return lines.filter((l) => l.msg === 'sql');
    };
    const traced = await sync('trace');
    // the proposal's INSERT, as sent, with its round trip's number
    const insert = traced.find((l) => /^INSERT INTO [`"]?Proposal[`"]? /i.test(String(l.sql)));
    expect(insert, JSON.stringify(traced.map((l) => l.sql))).toBeDefined();
    expect(String(insert!.sql)).toContain("'20140076'");
    expect(insert!.roundTrip).toEqual(expect.any(Number));
    expect(await sync('debug')).toEqual([]);
  });
});
