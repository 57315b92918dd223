import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root: the deploy suites read Containerfile, .nvmrc and deploy/ from it. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const execFileAsync = promisify(execFile);

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; a non-zero exit is returned, not thrown. */
export async function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<Ran> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr || e.message,
    };
  }
}

/**
 * Whether `commands` are installed (and, with `root`, this runs as root, as rootful podman needs).
 * If not: a loud message and `false` (the suite skips), except with CI=true, where it throws
 * (.ci/run installs them from Debian's packages).
 */
export async function toolsReady(what: string, commands: string[], root = false): Promise<boolean> {
  const missing: string[] = [];
  for (const command of commands)
    if ((await run('sh', ['-c', `command -v ${command}`])).code !== 0) missing.push(command);
  if (root && process.getuid?.() !== 0) missing.push('root (rootful podman)');
  if (missing.length === 0) return true;
  const message = `${what}: ${missing.join(', ')} missing (apt-get install -y podman runc debootstrap; see docs/deploying.md)`;
  if (process.env.CI === 'true') throw new Error(`${message}: the deploy tests cannot be skipped in CI`);
  console.error(`\n${'!'.repeat(78)}\n!!! SKIPPING ${message}\n${'!'.repeat(78)}\n`);
  return false;
}
