import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { repoRoot } from './helpers/packed.js';

// The repository URL to set before publishing lives in one place (the root package.json's
// `repository`); the published manifests and the client README's link derive from it.
const exec = promisify(execFile);
const script = path.join(repoRoot, 'scripts/repository-url.mjs');

it('every published manifest and README link agrees with the root package.json', async () => {
  const { stdout } = await exec(process.execPath, [script]);
  expect(stdout).toMatch(/every manifest agrees/);
});

it('setting the URL once rewrites everything that derives from it', async () => {
  const copy = await mkdtemp(path.join(tmpdir(), 'upsync-repo-url-'));
  try {
    for (const file of [
      'package.json',
      'scripts/repository-url.mjs',
      'packages/schema/package.json',
      'packages/client/package.json',
      'packages/client/README.md',
    ])
      await cp(path.join(repoRoot, file), path.join(copy, file), { recursive: true });
    await exec(process.execPath, [
      path.join(copy, 'scripts/repository-url.mjs'),
      'https://git.example.org/ispyb/upsync',
    ]);
    const client = JSON.parse(await readFile(path.join(copy, 'packages/client/package.json'), 'utf8'));
    expect(client.repository).toEqual({
      type: 'git',
      url: 'git+https://git.example.org/ispyb/upsync.git',
      directory: 'packages/client',
    });
    expect(client.bugs).toEqual({ url: 'https://git.example.org/ispyb/upsync/issues' });
    expect(await readFile(path.join(copy, 'packages/client/README.md'), 'utf8')).toContain(
      '[upsync](https://git.example.org/ispyb/upsync#readme)',
    );
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
});
