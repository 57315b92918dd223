import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedPayload, runId } from './helpers/payloads.js';
import { mariadb, type RealServer, startRealServer, TOKEN } from './helpers/real-server.js';
import { cli } from './helpers/run-cli.js';

/** Writes `count` generated payloads, one per file, numbered from `from`. */
async function writePayloads(run: string, from: number, count: number) {
  const dir = await mkdtemp(path.join(tmpdir(), 'upsync-push-real-'));
  for (let i = from; i < from + count; i++) {
    await writeFile(path.join(dir, `proposal-${i}.json`), JSON.stringify(generatedPayload(run, i)));
  }
  return dir;
}

/** The table row of one entity kind in the summary: created, updated, unchanged, deleted. */
function summaryRow(stdout: string, kind: string): number[] | undefined {
  const match = stdout.match(
    new RegExp(`│ ${kind}\\s+│\\s*(\\d+)\\s*│\\s*(\\d+)\\s*│\\s*(\\d+)\\s*│\\s*(\\d+)\\s*│`),
  );
  return match?.slice(1).map(Number);
}

describe.skipIf(!mariadb)('upsync push against the real server and MariaDB', () => {
  let server: RealServer;
  const dirs: string[] = [];
  const run = runId();
  beforeAll(async () => {
    server = await startRealServer('push');
  });
  afterAll(async () => {
    await server?.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('pushes a folder of 50 payloads with --concurrency 4: every row is there, the summary adds up', async () => {
    const dir = await writePayloads(run, 0, 50);
    dirs.push(dir);
    const env = { UPSYNC_URL: server.url, UPSYNC_TOKEN: TOKEN };
    const { code, stdout, stderr } = await cli(['push', dir, '--concurrency', '4'], { env });
    expect(stderr.trim().split('\n')).toHaveLength(50); // one progress line per payload
    expect(code).toBe(0);

    const [proposals] = await server.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM Proposal WHERE proposalCode = 'CT' AND proposalNumber LIKE ?",
      [`${run}%`],
    );
    expect(Number(proposals?.n)).toBe(50);
    const [persons] = await server.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM Person WHERE login LIKE ? OR login LIKE ?',
      [`pi${run}_%`, `coi${run}_%`],
    );
    expect(Number(persons?.n)).toBe(100);
    const [sessions] = await server.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM BLSession s JOIN Proposal p ON p.proposalId = s.proposalId WHERE p.proposalNumber LIKE ?',
      [`${run}%`],
    );
    expect(Number(sessions?.n)).toBe(50);
    const [labs] = await server.query<{ n: number }>('SELECT COUNT(*) AS n FROM Laboratory WHERE name = ?', [
      `Lab ${run}`,
    ]);
    expect(Number(labs?.n)).toBe(1); // one laboratory shared by 50 persons, even at concurrency 4

    expect(summaryRow(stdout, 'proposal')).toEqual([50, 0, 0, 0]);
    expect(summaryRow(stdout, 'persons')).toEqual([100, 0, 0, 0]);
    expect(summaryRow(stdout, 'sessions')).toEqual([50, 0, 0, 0]);
    expect(summaryRow(stdout, 'proteins')).toEqual([50, 0, 0, 0]);
    expect(stdout).toContain('50 payload(s) in 50 file(s): 50 ok, 0 failed');

    // Pushed again: nothing to do, and --json says so per file.
    const again = await cli(['push', dir, '--concurrency', '4', '--json'], { env });
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout) as Array<{
      file: string;
      ok: boolean;
      payloads: Array<{
        result: { summary: Record<string, { unchanged: number; created: number; updated: number }> };
      }>;
    }>;
    expect(report).toHaveLength(50);
    expect(report.every((file) => file.ok)).toBe(true);
    for (const file of report) {
      const summary = file.payloads[0]?.result.summary;
      expect(summary?.proposal).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    }
  });

  it("upsync schema --url prints the server's JSON Schema", async () => {
    const { code, stdout } = await cli(['schema', '--url', server.url], { env: { UPSYNC_TOKEN: TOKEN } });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      type: 'object',
      properties: { proposal: expect.any(Object) },
    });
  });

  it('a server that stops mid-run gives a clear error and a non-zero exit', async () => {
    let requests = 0;
    const dying = await startRealServer('dying', (req) => {
      if (!req.url?.startsWith('/trpc/')) return false;
      requests++;
      if (requests <= 5) return false;
      // The sixth sync arrives: the server goes away, mid-run.
      req.socket.destroy();
      void dying.stop();
      return true;
    });
    const dir = await writePayloads(run, 100, 12);
    dirs.push(dir);
    try {
      const { code, stdout, stderr } = await cli(
        ['push', dir, '--concurrency', '1', '--retries', '1', '--url', dying.url, '--token', TOKEN],
        {},
      );
      expect(code).toBe(1);
      expect(stderr).toMatch(/upsync push: Cannot reach http:\/\/127\.0\.0\.1:\d+\/trpc\/syncProposal: /);
      expect(stderr).toContain('upsync push: stopped; 6 payload(s) were not pushed');
      expect(stdout).toContain('12 payload(s) in 12 file(s): 5 ok, 7 failed');
      expect(summaryRow(stdout, 'proposal')).toEqual([5, 0, 0, 0]);
      const rows = await dying.query('SELECT proposalId FROM Proposal WHERE proposalNumber LIKE ?', [
        `${run}1%`,
      ]);
      expect(rows).toHaveLength(5);
    } finally {
      await dying.close();
    }
  });
});
