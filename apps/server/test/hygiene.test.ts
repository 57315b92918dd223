import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { serve } from '../src/serve.js';
import { proposalNumbered, READ_BACK } from './helpers/payloads.js';
import { BASE, bearer, sqliteUrl, startTestServer, type TestServer } from './helpers/server.js';

const CHROMIUM = '/usr/bin/chromium';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer(await sqliteUrl());
  expect(
    (await request(srv.url).post(`${BASE}/sync_proposal`).set(bearer()).send(proposalNumbered(901))).status,
  ).toBe(200);
});
afterAll(async () => {
  await srv?.close();
});

describe('security headers (helmet)', () => {
  it.each(['/docs/', `${BASE}/sync_proposal/schema`, '/health'])('%s carries them', async (path) => {
    const res = await request(srv.url).get(path).set(bearer());
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('Cache-Control: no-store on answers with personal data', () => {
  it.each([
    READ_BACK(901),
    `${BASE}/sync_runs`,
    '/trpc/proposal?input=%7B%22proposalCode%22%3A%22I%22%2C%22proposalNumber%22%3A%22901%22%7D',
    '/trpc/syncRuns?input=%7B%7D',
  ])('%s', async (path) => {
    const res = await request(srv.url).get(path).set(bearer());
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('the docs page', () => {
  it('does not keep the bearer token in the browser (persistAuthorization: false)', async () => {
    const init = await request(srv.url).get('/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.text).toMatch(/"persistAuthorization":\s*false/);
  });

  it.skipIf(!existsSync(CHROMIUM) && process.env.CI !== 'true')(
    'renders every operation under the CSP in headless Chromium, with no CSP violation',
    async () => {
      const { stdout, stderr } = await promisify(execFile)(
        CHROMIUM,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--enable-logging=stderr',
          '--v=0',
          '--virtual-time-budget=10000',
          '--dump-dom',
          `${srv.url}/docs/`,
        ],
        { timeout: 60_000, maxBuffer: 20 * 1024 * 1024 },
      );
      for (const route of ['sync_proposal', 'sync_proposals', 'sync_runs', 'sync_proposal/schema']) {
        expect(stdout).toContain(`data-path="${BASE}/${route}"`);
      }
      expect(stderr).not.toMatch(/Content Security Policy|Refused to/i);
    },
    90_000,
  );
});

describe('logs carry no SQL with values and no driver messages below trace', () => {
  const MARKER = 'Zqxjkvbwmarker';
  async function failingSync(level: string) {
    const url = await sqliteUrl();
    const server = await startTestServer(url, { LOG_LEVEL: level });
    try {
      // a trigger fails on the proposal's title (not JSON): an unexpected driver error, INTERNAL,
      // whose message quotes the statement with its values
      const db = new DatabaseSync(url.slice('sqlite:'.length));
      db.exec(`CREATE TRIGGER refuse_proposal BEFORE INSERT ON Proposal BEGIN SELECT json(NEW.title); END;`);
      db.close();
      const payload = proposalNumbered(902);
      payload.proposal.title = MARKER;
      const res = await request(server.url).post(`${BASE}/sync_proposal`).set(bearer()).send(payload);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(JSON.stringify(res.body)).not.toContain(MARKER);
      return server.rawLogs;
    } finally {
      await server.close();
    }
  }

  it('at info: neither the statement nor the values nor the driver message', async () => {
    const logs = (await failingSync('info')).join('\n');
    expect(logs).toMatch(/sync failed: internal error/);
    expect(logs).toMatch(/driver error (ERR_)?SQLITE_ERROR \(message withheld/);
    expect(logs).not.toContain(MARKER);
    expect(logs).not.toMatch(/insert into/i);
    expect(logs).not.toContain('malformed JSON');
  });

  it('at trace (the explicit way): the statements are there', async () => {
    const logs = (await failingSync('trace')).join('\n');
    expect(logs).toContain(MARKER);
  });
});

describe('the embedded database and the development token', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('the database file is created 0600; the token is printed to the terminal once, never logged', async () => {
    const dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'upsync-hygiene-')), 'data');
    const logLines: string[] = [];
    const logger = createLogger({
      level: 'trace',
      destination: { write: (line: string) => void logLines.push(line) },
    });
    const printed: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    const running = await serve(loadConfig({ PORT: '0', UPSYNC_DATA_DIR: dataDir }), logger);
    vi.restoreAllMocks();
    try {
      const token = /Bearer (upsync_dev_\S+)"/.exec(printed.join(''))?.[1];
      expect(token).toBeDefined();
      const res = await fetch(`http://127.0.0.1:${running.port}${BASE}/sync_proposal`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(proposalNumbered(903)),
      });
      expect(res.status).toBe(200);
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      for (const file of await readdir(dataDir)) {
        if (file.startsWith('upsync.sqlite'))
          expect((await stat(path.join(dataDir, file))).mode & 0o777, file).toBe(0o600);
      }
      expect(logLines.length).toBeGreaterThan(0);
      expect(logLines.join('\n')).not.toContain(token!);
    } finally {
      await running.shutdown('test');
    }
  });
});
