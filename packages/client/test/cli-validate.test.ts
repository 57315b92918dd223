import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { syncProposalJsonSchema } from '@upsync/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/run-cli.js';

const examples = fileURLToPath(new URL('../../../examples', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'upsync-validate-'));
  const good = { proposal: { proposalCode: 'MX', proposalNumber: 1, persons: [{ login: 'ada' }] } };
  await writeFile(path.join(dir, 'good.json'), JSON.stringify(good));
  await writeFile(
    path.join(dir, 'typo.json'),
    JSON.stringify({
      proposal: { proposalCode: 'MX', proposalNumber: '2', persons: [{ login: 'ada' }] },
      sessions: [{ expSessionPk: 1, beamlineOperator: 'Grace' }],
    }),
  );
  await writeFile(
    path.join(dir, 'batch.json'),
    JSON.stringify([
      good,
      { proposal: { proposalNumber: '3', state: 'Pending', persons: [{ login: 'ada' }] } },
    ]),
  );
  await writeFile(path.join(dir, 'broken.json'), '{ "proposal": ');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('upsync validate', () => {
  it('accepts the py-ISPyB examples: exit 0, nothing on stdout', async () => {
    const { code, stdout, stderr } = await cli(['validate', examples]);
    expect(stdout).toBe('');
    expect(stderr).toContain('2 file(s), 2 payload(s) checked: all valid');
    expect(code).toBe(0);
  });

  it('prints every problem as `file: path: message` and exits 1', async () => {
    const { code, stdout, stderr } = await cli(['validate', '.'], { cwd: dir });
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(/^typo\.json: sessions\[0\]\.beamlineOperator: .*beamLineOperator/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^batch\.json: \[1\]\.proposal\.proposalCode: /));
    expect(lines).toContainEqual(expect.stringMatching(/^batch\.json: \[1\]\.proposal\.state: /));
    expect(lines).toContainEqual(expect.stringMatching(/^broken\.json: \(root\): invalid JSON: /));
    expect(lines.some((line) => line.startsWith('good.json'))).toBe(false);
    expect(lines.some((line) => line.startsWith('batch.json: [0]'))).toBe(false);
    expect(stderr).toContain('4 file(s), 4 payload(s) checked: 3 invalid');
  });

  it('--unknown-keys strip turns unknown keys into warnings', async () => {
    const { code, stdout } = await cli(['validate', 'typo.json', '--unknown-keys', 'strip'], { cwd: dir });
    expect(stdout).toMatch(/^typo\.json: sessions\[0\]\.beamlineOperator: warning: /m);
    expect(code).toBe(0);
  });

  it('a missing path or a bad option is a usage error (exit 2)', async () => {
    expect((await cli(['validate', 'nothing-here'], { cwd: dir })).code).toBe(2);
    expect((await cli(['validate', '.', '--unknown-keys', 'ignore'], { cwd: dir })).code).toBe(2);
    expect((await cli(['validate'], { cwd: dir })).code).toBe(2);
  });
});

describe('upsync schema', () => {
  it('prints the JSON Schema offline', async () => {
    const { code, stdout } = await cli(['schema']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(syncProposalJsonSchema());
  });
});
