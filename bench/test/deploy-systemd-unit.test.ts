import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, run, toolsReady } from './deploy-support.js';

const UNIT = path.join(REPO_ROOT, 'deploy/upsync.service');
const ready = await toolsReady('the systemd unit test', ['systemd-analyze']);

/** The `ExecStart=` program of the unit (its first word). */
async function execStartProgram(): Promise<string> {
  const text = await readFile(UNIT, 'utf8');
  const program = /^ExecStart=(\S+)/m.exec(text)?.[1];
  if (!program) throw new Error('deploy/upsync.service has no ExecStart=');
  return program;
}

describe.skipIf(!ready)('deploy: the systemd unit (deploy/upsync.service)', () => {
  let root: string;

  // `verify` checks that ExecStart's program exists: a throw-away root holds the unit, an executable
  // at that path, and systemd's own units (sysinit.target and the rest the unit's default deps name).
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'upsync-unit-'));
    const program = path.join(root, await execStartProgram());
    await mkdir(path.dirname(program), { recursive: true });
    await writeFile(program, '#!/bin/sh\n');
    await chmod(program, 0o755);
    await mkdir(path.join(root, 'etc/systemd/system'), { recursive: true });
    await cp(UNIT, path.join(root, 'etc/systemd/system/upsync.service'));
    const unitDir = (await run('systemd-analyze', ['--system', 'unit-paths'])).stdout
      .split('\n')
      .find((dir) => /^\/(usr\/)?lib\/systemd\/system$/.test(dir.trim()));
    await cp(unitDir?.trim() ?? '/usr/lib/systemd/system', path.join(root, 'usr/lib/systemd/system'), {
      recursive: true,
      verbatimSymlinks: true,
    });
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('systemd-analyze verify passes without a word (an unknown key is only a warning, so output fails too)', async () => {
    const result = await run('systemd-analyze', ['verify', `--root=${root}`, 'upsync.service']);
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.code).toBe(0);
  });

  it("the consumer's unit, made from it by the sed of docs/deploying.md, verifies as well", async () => {
    const docs = await readFile(path.join(REPO_ROOT, 'docs/deploying.md'), 'utf8');
    const sed = /^sed (-e .*?) \\\n {2}(-e .*?) \\\n {2}deploy\/upsync\.service > /ms.exec(docs);
    expect(sed, 'the consumer sed in docs/deploying.md').not.toBeNull();
    const made = await run('sh', ['-c', `sed ${sed?.[1]} ${sed?.[2]} deploy/upsync.service`]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/ consume$/m);
    expect(made.stdout).toMatch(/^StateDirectory=upsync-consumer$/m);
    expect(made.stdout).toMatch(/UPSYNC_DATA_DIR=\/var\/lib\/upsync-consumer$/m);
    await writeFile(path.join(root, 'etc/systemd/system/upsync-consumer.service'), made.stdout);
    const result = await run('systemd-analyze', ['verify', `--root=${root}`, 'upsync-consumer.service']);
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.code).toBe(0);
  });

  it('verify does catch a unit whose program is missing (the check above is not vacuous)', async () => {
    const unit = path.join(root, 'etc/systemd/system/upsync-broken.service');
    const text = await readFile(UNIT, 'utf8');
    await writeFile(unit, text.replace(/^ExecStart=\//m, 'ExecStart=/nonexistent/'));
    const result = await run('systemd-analyze', ['verify', `--root=${root}`, 'upsync-broken.service']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/not executable/);
  });

  it('systemd-analyze security rates it at most 3.0 ("OK"), without MemoryDenyWriteExecute (V8 JIT)', async () => {
    const result = await run('systemd-analyze', ['security', '--offline=true', UNIT]);
    const score = /Overall exposure level for upsync\.service: ([\d.]+) (\S+)/.exec(result.stdout);
    expect(score, result.stdout + result.stderr).not.toBeNull();
    console.log(`deploy/upsync.service: exposure ${score?.[1]} ${score?.[2]}`);
    expect(Number(score?.[1])).toBeLessThanOrEqual(3.0);
    expect(score?.[2]).toBe('OK');
    expect(await readFile(UNIT, 'utf8')).not.toMatch(/^MemoryDenyWriteExecute=(yes|true|1)/m);
  });

  it('runs node on the built server, reads its settings from an env file, restarts on failure, as a user of its own', async () => {
    const text = await readFile(UNIT, 'utf8');
    expect(text).toMatch(/^ExecStart=\S+\/node \S+\/apps\/server\/dist\/cli\.js serve$/m);
    expect(text).toMatch(/^EnvironmentFile=\/etc\/upsync\/upsync\.env$/m);
    expect(text).toMatch(/^Restart=on-failure$/m);
    expect(text).toMatch(/^DynamicUser=yes$/m);
    expect(text).toMatch(/^StateDirectory=upsync$/m);
    expect(text).toMatch(/^Environment=.*UPSYNC_DATA_DIR=\/var\/lib\/upsync/m);
  });
});
