import { execFile } from 'node:child_process';
import { access, cp, mkdir, mkdtemp, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const clientDir = fileURLToPath(new URL('../..', import.meta.url));
export const repoRoot = path.resolve(clientDir, '../..');
export const tscBin = path.join(repoRoot, 'node_modules/.bin/tsc');

/**
 * Packs @upsync/client with `npm pack` (dist as built before the tests) and installs the tarball into a
 * fresh project outside the repository, next to links to its dependencies only: no server, no
 * Express, no ORM can be found from there.
 */
export async function packIntoConsumer() {
  const project = await mkdtemp(path.join(tmpdir(), 'upsync-consumer-'));
  // --ignore-scripts: dist is built by turbo before the tests; a prepack build here would rewrite
  // dist while other test files load it
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', project], {
    cwd: clientDir,
    maxBuffer: 10 * 1024 * 1024,
  });
  const [packed] = JSON.parse(stdout.slice(stdout.search(/^\[\s*$/m))) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  if (!packed) throw new Error(`npm pack printed no result: ${stdout}`);
  const installed = path.join(project, 'node_modules/@upsync/client');
  await mkdir(installed, { recursive: true });
  await run('tar', ['-xzf', path.join(project, packed.filename), '-C', installed, '--strip-components=1']);

  const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const name of [...Object.keys(manifest.dependencies), '@types/node']) {
    const target = await packageDir(name, clientDir);
    const link = path.join(project, 'node_modules', name);
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(target, link, 'dir');
  }
  await cp(path.join(clientDir, 'test/fixtures/consumer'), project, { recursive: true });
  return { project, installed, files: packed.files.map((file) => file.path) };
}

/** Where Node would find package `name` from `from` (node_modules lookup; exports maps not needed). */
async function packageDir(name: string, from: string): Promise<string> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (
      await access(path.join(candidate, 'package.json')).then(
        () => true,
        () => false,
      )
    )
      return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${name} is not installed near ${from}`);
  }
}

/** The bare module specifiers a built JS file imports (static, dynamic and re-exports). */
export function importsOf(source: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.add(match[1] as string);
  return [...found];
}

/** Extracts the README's code blocks marked `<!-- tested: NAME -->`. */
export function readmeExamples(readme: string): Map<string, string> {
  const examples = new Map<string, string>();
  for (const match of readme.matchAll(/<!-- tested: ([\w-]+) -->\s*```ts\n([\s\S]*?)```/g)) {
    examples.set(match[1] as string, match[2] as string);
  }
  return examples;
}
