import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createUpsyncClient,
  type TProposalSnapshot,
  type TSyncRunPage,
  type UpsyncClient,
  UpsyncNotFoundError,
} from '../src/index.js';
import { mariadb, type RealServer, startRealServer, TOKEN } from './helpers/real-server.js';
import { cli } from './helpers/run-cli.js';

// biome-ignore lint/suspicious/noExplicitAny: tests edit the example payloads freely
const example = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../../../examples/${name}.json`, import.meta.url), 'utf8'));

describe.skipIf(!mariadb)('sync history and read-back through the SDK and the CLI', () => {
  let server: RealServer;
  let client: UpsyncClient;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startRealServer('hist');
    client = createUpsyncClient({ url: server.url, token: TOKEN });
    env = { UPSYNC_URL: server.url, UPSYNC_TOKEN: TOKEN };
    dir = await mkdtemp(path.join(tmpdir(), 'upsync-diff-'));
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('SDK: syncRuns pages the history, proposal reads the proposal back', async () => {
    await client.syncProposal(example('pyispyb-create'));
    await client.syncProposal(example('pyispyb-create'), { dryRun: true });
    const page = await client.syncRuns({ proposal: 'I-20140076', limit: 1 });
    expectTypeOf(page).toEqualTypeOf<TSyncRunPage>();
    expect(page.runs).toHaveLength(1);
    expect(page.runs[0]).toMatchObject({ principal: 'client-tests', dryRun: true, outcome: 'succeeded' });
    const older = await client.syncRuns({ proposal: 'I-20140076', cursor: page.nextCursor! });
    expect(older.runs.map((r) => r.dryRun)).toEqual([false]);

    const snapshot = await client.proposal('I', 20140076);
    expectTypeOf(snapshot).toEqualTypeOf<TProposalSnapshot>();
    expect(snapshot.proposal.persons.map((p) => p.login)).toContain('kchambers');
    await expect(client.proposal('I', 'nope')).rejects.toBeInstanceOf(UpsyncNotFoundError);
  });

  it('CLI: upsync history shows the table, and --json the page', async () => {
    const table = await cli(['history', 'I-20140076', '--limit', '5'], { env });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/client-tests/);
    expect(table.stdout).toMatch(/dry run/);
    expect(table.stdout).toMatch(/created \d+/);
    const json = await cli(['history', 'I-20140076', '--outcome', 'failed', '--json'], { env });
    expect(JSON.parse(json.stdout)).toEqual({ runs: [], nextCursor: null });
    const bad = await cli(['history', 'nodash'], { env });
    expect(bad.code).toBe(2);
  });

  it('CLI: upsync diff shows field by field what a push would change, and writes nothing', async () => {
    const payload = example('pyispyb-create');
    payload.proposal.title = 'A new title';
    payload.proposal.persons[1].emailAddress = 'kirk@example.org';
    payload.proposal.persons.push({ login: 'newcomer', familyName: 'Newcomer' });
    const file = path.join(dir, 'change.json');
    await writeFile(file, JSON.stringify(payload));
    const before = await server.counts();

    const json = await cli(['diff', file, '--json'], { env });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ proposal: 'I-20140076', exists: true });
    expect(report.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'proposal',
          field: 'title',
          current: 'Proposal title',
          wanted: 'A new title',
        }),
        expect.objectContaining({
          kind: 'persons',
          path: 'proposal.persons[1]',
          field: 'emailAddress',
          current: 'test@test.test',
          wanted: 'kirk@example.org',
        }),
        expect.objectContaining({ kind: 'persons', path: 'proposal.persons[3]', outcome: 'created' }),
        expect.objectContaining({ kind: 'proposalParticipants', outcome: 'created' }),
      ]),
    );

    const text = await cli(['diff', file], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /I-20140076 .*: 2 row\(s\) to create, 2 to update \(2 field\(s\)\), 0 to remove/,
    );
    expect(text.stdout).toMatch(/emailAddress/);
    expect(text.stdout).toMatch(/"kirk@example.org"/);
    expect(await server.counts()).toEqual(before);

    const unchanged = path.join(dir, 'same.json');
    await writeFile(unchanged, JSON.stringify(example('pyispyb-create')));
    expect((await cli(['diff', unchanged], { env })).stdout).toMatch(/nothing would change/);
  });

  it('CLI: upsync diff of an invalid payload names the problem and exits 1', async () => {
    const payload = example('pyispyb-create');
    payload.proposal.state = 'Bogus';
    const file = path.join(dir, 'invalid.json');
    await writeFile(file, JSON.stringify(payload));
    const { code, stderr } = await cli(['diff', file], { env });
    expect(code).toBe(1);
    expect(stderr).toMatch(/invalid\.json: proposal\.state: "Bogus" is not one of/);
  });

  it('CLI: upsync diff of a proposal ISPyB does not hold lists every row as new', async () => {
    const payload = example('pyispyb-create');
    payload.proposal.proposalNumber = '777';
    payload.proposal.externalId = 777;
    const file = path.join(dir, 'new.json');
    await writeFile(file, JSON.stringify(payload));
    const { code, stdout } = await cli(['diff', file], { env });
    expect(code).toBe(0);
    expect(stdout).toMatch(/I-777 .*, not in ISPyB yet: \d+ row\(s\) to create, 0 to update/);
  });
});
