import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** `npm start`'s entry point as a child process in `cwd` with `env` (and PATH): exit code and output. */
function start(cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN], {
      cwd,
      env: { PATH: process.env.PATH, PORT: '0', UPSYNC_DATA_DIR: cwd, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk;
      // started: the variable was not refused; stop it and report
      if (output.includes('upsync listening')) child.kill('SIGTERM');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('MikroORM settings from the environment are refused (they override the validated configuration)', () => {
  it('loadConfig names a MIKRO_ORM_* variable', () => {
    expect(() => loadConfig({ MIKRO_ORM_CLIENT_URL: 'mysql://elsewhere/ispyb' }, '/srv')).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ MIKRO_ORM_DB_NAME: 'x', MIKRO_ORM_HOST: 'y' }, '/srv')).toThrow(
      /MIKRO_ORM_DB_NAME, MIKRO_ORM_HOST: upsync takes no MikroORM settings/,
    );
  });

  it('the server does not start with MIKRO_ORM_CLIENT_URL set, and says why', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'upsync-mikro-env-'));
    const control = await start(dir, {});
    expect(control.output).toContain('upsync listening');
    const refused = await start(dir, { MIKRO_ORM_CLIENT_URL: 'mysql://attacker@127.0.0.1:3306/elsewhere' });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('MIKRO_ORM_CLIENT_URL: upsync takes no MikroORM settings');
    expect(refused.output).not.toContain('upsync listening');
  }, 60_000);

  // MikroORM 6 copied a .env file's MIKRO_ORM_* entries over the options (upsync refused to start
  // then); MikroORM 7 reads no .env file: the file cannot redirect the database
  it('a .env file in its working directory with MIKRO_ORM_* entries changes nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'upsync-mikro-dotenv-'));
    const elsewhere = path.join(dir, 'elsewhere.sqlite');
    await writeFile(path.join(dir, '.env'), `MIKRO_ORM_DB_NAME=${elsewhere}\nOTHER=1\n`);
    const started = await start(dir, {});
    expect(started.output).toContain('upsync listening');
    expect(existsSync(elsewhere)).toBe(false);
  }, 60_000);
});
