import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/run-cli.js';
import { sampleResult, sendJson, startScriptedServer, trpcError } from './helpers/scripted-server.js';

// The CLI's own behaviour (pool, summary, --json, exit codes) against a scripted HTTP server;
// the same command against the real server and MariaDB is in cli-push.server.test.ts.

const payload = (n: number) => ({
  proposal: { proposalCode: 'MX', proposalNumber: String(n), persons: [{ login: `user${n}` }] },
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'upsync-push-'));
  await writeFile(path.join(dir, 'a.json'), JSON.stringify(payload(1)));
  await writeFile(path.join(dir, 'b.json'), JSON.stringify([payload(2), payload(3)]));
  await writeFile(path.join(dir, 'c.json'), JSON.stringify(payload(4)));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** Answers like the server: created on the first push of a number, 422 for proposal 3. */
async function fakeServer() {
  const server = await startScriptedServer((req, _n, res) => {
    const { payload: p } = JSON.parse(req.body) as { payload: ReturnType<typeof payload> };
    const number = p.proposal.proposalNumber;
    if (number === '3') {
      return sendJson(
        res,
        422,
        trpcError(422, 'UNPROCESSABLE_CONTENT', {
          code: 'VALIDATION_FAILED',
          detail: 'The payload is invalid',
          retryable: false,
          errors: [{ path: 'proposal.persons[0].login', message: 'too long', code: 'too_long' }],
        }),
      );
    }
    const counts = { created: 1, updated: 0, unchanged: 0, deleted: 0 };
    const base = sampleResult();
    sendJson(res, 200, {
      result: {
        data: {
          ...base,
          proposal: { proposalId: Number(number), proposalCode: 'MX', proposalNumber: number },
          summary: { ...base.summary, proposal: counts, persons: counts },
        },
      },
    });
  });
  close = server.close;
  return server;
}

describe('upsync push (scripted server)', () => {
  it('pushes every payload of every file, prints a summary table and exits 1 when one failed', async () => {
    const server = await fakeServer();
    const { code, stdout, stderr } = await cli(['push', '.', '--concurrency', '2'], {
      cwd: dir,
      env: { UPSYNC_URL: server.url, UPSYNC_TOKEN: 'tok' },
    });
    expect(code).toBe(1);
    expect(server.requests).toHaveLength(4);
    expect(new Set(server.requests.map((r) => r.headers.authorization))).toEqual(new Set(['Bearer tok']));
    expect(stdout).toMatch(/│ persons\s+│ 3\s+│ 0\s+│ 0\s+│ 0\s+│/);
    expect(stdout).toMatch(/│ proposal\s+│ 3\s+│/);
    expect(stdout).toMatch(
      /│ b\.json\[1\]\s+│ MX-3\s+│ VALIDATION_FAILED: proposal\.persons\[0\]\.login: too long/,
    );
    expect(stdout).toContain('4 payload(s) in 3 file(s): 3 ok, 1 failed (1 file(s))');
    // Not a TTY: one plain line per payload on stderr.
    expect(stderr.trim().split('\n')).toHaveLength(4);
    expect(stderr).toMatch(/^\[\d\/4\] b\.json\[1\]: MX-3 FAILED VALIDATION_FAILED: /m);
  });

  it('--json prints one entry per file for scripts', async () => {
    const server = await fakeServer();
    const { code, stdout } = await cli(['push', 'a.json', 'b.json', '--json', '--url', server.url], {
      cwd: dir,
    });
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject([
      {
        file: 'a.json',
        ok: true,
        payloads: [{ index: null, ok: true, proposal: 'MX-1', result: { dryRun: false } }],
      },
      {
        file: 'b.json',
        ok: false,
        payloads: [
          { index: 0, ok: true, proposal: 'MX-2' },
          {
            index: 1,
            ok: false,
            proposal: 'MX-3',
            error: {
              code: 'VALIDATION_FAILED',
              status: 422,
              issues: [{ path: 'proposal.persons[0].login' }],
            },
          },
        ],
      },
    ]);
  });

  it('exits 0 when every payload succeeded, and sends --dry-run / --reconcile', async () => {
    const server = await fakeServer();
    const { code } = await cli(['push', 'a.json', '--dry-run', '--reconcile', '--url', server.url], {
      cwd: dir,
    });
    expect(code).toBe(0);
    expect(server.requests.map((r) => [r.url, JSON.parse(r.body).reconcile])).toEqual([
      ['/trpc/dryRunProposal', true],
    ]);
  });

  it('stops with a clear error and exit 1 when the server is unreachable', async () => {
    const server = await startScriptedServer(() => undefined);
    await server.close();
    const { code, stdout, stderr } = await cli(
      ['push', '.', '--url', server.url, '--retries', '1', '--concurrency', '1'],
      {
        cwd: dir,
      },
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /upsync push: Cannot reach http:\/\/127\.0\.0\.1:\d+\/trpc\/syncProposal: connect ECONNREFUSED/,
    );
    expect(stderr).toContain('upsync push: stopped; 3 payload(s) were not pushed');
    expect(stdout).toContain('4 payload(s) in 3 file(s): 0 ok, 4 failed');
    expect(stdout).toContain('NOT_ATTEMPTED');
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['push', '.'], { cwd: dir })).code).toBe(2);
    const noUrl = await cli(['push', '.'], { cwd: dir });
    expect(noUrl.stderr).toContain('no server: pass --url or set UPSYNC_URL');
    expect((await cli(['push', '.', '--url', 'http://x', '--concurrency', '0'], { cwd: dir })).code).toBe(2);
    expect((await cli(['push', 'nope', '--url', 'http://x'], { cwd: dir })).stderr).toContain(
      'nope: no such file or folder',
    );
    expect((await cli(['frobnicate'], { cwd: dir })).code).toBe(2);
    expect((await cli(['--help'], { cwd: dir })).code).toBe(0);
  });
});
