import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { repoRoot } from './helpers/packed.js';
import { cli } from './helpers/run-cli.js';

// The server as `npm start` runs it (its own process, the embedded database, the development
// token), used through REST and the CLI: its stdout must hold JSON log lines only, whatever the
// libraries underneath (ORM, query builder, driver) would print there.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const API = '/ispyb/api/v1/webservices/userportalsync';
const examples = path.join(repoRoot, 'examples');

let dataDir: string;
let server: ChildProcess;
let stdout = '';
let url: string;
let token: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'upsync-embedded-'));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && !/^(DATABASE_URL|UPSYNC_|MIKRO_ORM_|LOG_LEVEL$)/.test(name)) env[name] = value;
  server = spawn(process.execPath, [path.join(repoRoot, 'apps/server/dist/main.js')], {
    cwd: dataDir,
    env: { ...env, PORT: '0', UPSYNC_DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.setEncoding('utf8');
  server.stderr?.resume();
  const port = await new Promise<number>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
    server.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const port = /"port":(\d+)[^\n]*"upsync listening"/.exec(stdout)?.[1];
      if (port) resolve(Number(port));
    });
  });
  url = `http://127.0.0.1:${port}`;
  token = (await readFile(path.join(dataDir, 'dev-token'), 'utf8')).trim();
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGKILL');
    await once(server, 'exit');
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function call(route: string, body?: unknown) {
  const response = await fetch(`${url}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

const example = async (name: string) =>
  JSON.parse(await readFile(path.join(examples, `${name}.json`), 'utf8'));

describe('the server on the embedded database, as npm start runs it', () => {
  it('upsync diff of pyispyb-update.json lists the written fields only, never a primary key', async () => {
    expect((await call(`${API}/sync_proposal`, await example('pyispyb-create'))).status).toBe(200);
    const env = { UPSYNC_URL: url, UPSYNC_TOKEN: token };
    const file = path.join(examples, 'pyispyb-update.json');
    const json = await cli(['diff', file, '--json'], { env });
    expect(json.code).toBe(0);
    const changes = JSON.parse(json.stdout).changes as Array<{ kind: string; path: string; field?: string }>;
    expect(changes.filter((c) => c.field).map((c) => `${c.path} ${c.field}`)).toEqual(
      expect.arrayContaining([
        'proposal title',
        'proposal.persons[0] emailAddress',
        'sessions[0] beamLineName',
      ]),
    );
    expect(changes.map((c) => c.field)).not.toContain('personId');
    const text = await cli(['diff', file], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/personId/);
  });

  it('prints only JSON lines on stdout through syncs, dry runs, read-backs, history and errors', async () => {
    const create = await example('pyispyb-create');
    const update = await example('pyispyb-update');
    expect((await call(`${API}/sync_proposal`, create)).status).toBe(200);
    expect((await call(`${API}/sync_proposal?dryRun=true`, update)).status).toBe(200);
    expect((await call(`${API}/sync_proposal`, update)).status).toBe(200);
    expect((await call(`${API}/sync_proposals?dryRun=true`, [create, update])).status).toBe(200);
    expect((await call(`${API}/proposal/I/20140076`)).status).toBe(200);
    expect((await call(`${API}/proposal/I/nope`)).status).toBe(404);
    expect((await call(`${API}/sync_runs?proposal=I-20140076&limit=5`)).status).toBe(200);
    expect((await call(`${API}/sync_proposal/schema`)).status).toBe(200);
    expect((await call(`${API}/sync_proposal`, '{"proposal":')).status).toBe(422);
    expect((await call('/ready')).status).toBe(200);

    server.kill('SIGTERM');
    await once(server, 'exit');
    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(10);
    const notJson = lines.filter((line) => {
      try {
        return typeof JSON.parse(line) !== 'object';
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
  });
});
