import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const verdaccioProcess = new URL('./verdaccio-process.mjs', import.meta.url).pathname;

/** The environment of a user's shell: none of the npm_* variables `npm test` passes down. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|INIT_CWD$|NODE_OPTIONS$|VITEST)/i.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/** The registry npm is configured with here (the uplink for zod, tRPC and the CLI's libraries). */
export async function upstreamRegistry(): Promise<string> {
  const { stdout } = await exec('npm', ['config', 'get', 'registry'], { cwd: tmpdir(), env: cleanEnv() });
  return stdout.trim() || 'https://registry.npmjs.org/';
}

export interface LocalRegistry {
  url: string;
  /** npm arguments that point a command at this registry, with a token, a private cache. */
  npmArgs: string[];
  close(): Promise<void>;
}

/**
 * Starts verdaccio on 127.0.0.1 with its storage in `dir`: @upsync/* live only there (never
 * proxied), everything else is fetched from the configured upstream registry. Creates a user
 * and returns npm arguments carrying its token.
 */
export async function startLocalRegistry(dir: string): Promise<LocalRegistry> {
  await mkdir(dir, { recursive: true });
  const config = {
    storage: path.join(dir, 'storage'),
    auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: 10 } },
    uplinks: { upstream: { url: await upstreamRegistry(), timeout: '60s', maxage: '30m' } },
    packages: {
      '@upsync/*': { access: '$all', publish: '$authenticated' },
      '**': { access: '$all', publish: '$authenticated', proxy: 'upstream' },
    },
    web: { enable: false },
    log: { type: 'stdout', format: 'pretty', level: 'error' },
  };
  const configFile = path.join(dir, 'config.yaml');
  // JSON is YAML
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const child = spawn(process.execPath, [verdaccioProcess, configFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: cleanEnv(),
  });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`verdaccio exited with ${code} before listening`)));
    lines.on('line', (line) => {
      const match = /^\{"port":(\d+)\}$/.exec(line.trim());
      if (match) resolve(Number(match[1]));
    });
  });
  const url = `http://127.0.0.1:${port}/`;
  const close = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  try {
    const response = await fetch(`${url}-/user/org.couchdb.user:portal-ci`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'portal-ci', password: 'portal-ci-password' }),
    });
    const { token } = (await response.json()) as { token?: string };
    if (!response.ok || !token) throw new Error(`verdaccio refused the test user: ${response.status}`);
    const npmrc = path.join(dir, 'npmrc');
    await writeFile(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    const npmArgs = [
      `--userconfig=${npmrc}`,
      `--registry=${url}`,
      `--cache=${path.join(dir, 'npm-cache')}`,
      // metadata the registry already gave this run's cache is not asked for again
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--no-update-notifier',
    ];
    return { url, npmArgs, close };
  } catch (error) {
    await close();
    throw error;
  }
}

// what a failed fetch through the uplink looks like (seen here once: verdaccio answered zod's
// metadata empty, npm then reports the peer `zod@undefined`), as opposed to a real resolution error
const UPSTREAM_HICCUP = /@undefined|ETIMEDOUT|ECONNRESET|EAI_AGAIN|socket hang up|\b50[234]\b/;
const INSTALL_ATTEMPTS = 3;

/**
 * Runs npm with the registry's arguments; rejects with npm's output on failure. An install whose
 * failure is the upstream registry's (a fetch through the uplink that failed) is tried again,
 * at most three times in all.
 */
export async function npm(registry: LocalRegistry, args: string[], cwd: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await exec('npm', [...args, ...registry.npmArgs], {
        cwd,
        env: cleanEnv(),
        maxBuffer: 20 * 1024 * 1024,
      });
    } catch (error) {
      const e = error as { message: string; stdout?: string; stderr?: string };
      const output = `${e.stdout ?? ''}${e.stderr ?? e.message}`;
      if (args[0] === 'install' && attempt < INSTALL_ATTEMPTS && UPSTREAM_HICCUP.test(output)) continue;
      throw new Error(`npm ${args.join(' ')} failed in ${cwd} (attempt ${attempt}):\n${output}`);
    }
  }
}

/**
 * `npm pack` of a workspace package as built by turbo before the tests (`--ignore-scripts`: its
 * prepack would rebuild dist in place while other test files load it): path and file list.
 */
export async function pack(packageDir: string, destination: string) {
  const { stdout } = await exec(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', destination],
    {
      cwd: packageDir,
      env: cleanEnv(),
      maxBuffer: 20 * 1024 * 1024,
    },
  );
  const [packed] = JSON.parse(stdout.slice(stdout.search(/^\[\s*$/m))) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  if (!packed) throw new Error(`npm pack printed no result: ${stdout}`);
  return { tarball: path.join(destination, packed.filename), files: packed.files.map((f) => f.path) };
}
