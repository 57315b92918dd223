import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  clientDir,
  importsOf,
  packIntoConsumer,
  readmeExamples,
  repoRoot,
  run,
  tscBin,
} from './helpers/packed.js';
import { mariadb, startRealServer, TOKEN } from './helpers/real-server.js';

// The published artefact, tested as a consumer gets it: `npm pack`, installed outside the repo.
// tsc with skipLibCheck off takes half a minute on a busy machine (the registry test runs beside it)
vi.setConfig({ testTimeout: 120_000 });
let consumer: Awaited<ReturnType<typeof packIntoConsumer>>;
beforeAll(async () => {
  consumer = await packIntoConsumer();
});
afterAll(async () => {
  if (consumer) await rm(consumer.project, { recursive: true, force: true });
});

async function builtFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Runs tsc; resolves with its exit code and output instead of throwing. */
async function tsc(project: string, config: string) {
  try {
    await run(tscBin, ['-p', config], { cwd: project });
    return { code: 0, output: '' };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: `${e.stdout}${e.stderr}` };
  }
}

describe('the packed package', () => {
  it('holds dist, the bin shim, the README, the changelog, the licence and package.json only', () => {
    const outside = consumer.files.filter(
      (f) =>
        !f.startsWith('dist/') &&
        !['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'COPYING', 'bin/upsync.js'].includes(f),
    );
    expect(outside).toEqual([]);
    for (const file of [
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.d.cts',
      'dist/cli/main.js',
    ]) {
      expect(consumer.files).toContain(file);
    }
    expect(consumer.files.some((f) => f.includes('.test.'))).toBe(false);
  });

  it('declares an exports map with types first, and the upsync bin', async () => {
    const manifest = JSON.parse(await readFile(path.join(consumer.installed, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.exports['.'])).toEqual(['import', 'require']);
    expect(Object.keys(manifest.exports['.'].import)).toEqual(['types', 'default']);
    expect(Object.keys(manifest.exports['.'].require)).toEqual(['types', 'default']);
    expect(manifest.bin).toEqual({ upsync: './bin/upsync.js' });
    expect(manifest.files).toEqual(['dist', 'bin', 'CHANGELOG.md', 'COPYING']);
    expect(Object.keys(manifest.dependencies)).not.toContain('@upsync/server');
  });

  it('never mentions the server, Express or the ORM, and declarations never mention tRPC', async () => {
    const offenders: string[] = [];
    for (const file of await builtFiles(path.join(consumer.installed, 'dist'))) {
      if (file.endsWith('.map')) continue;
      const text = await readFile(file, 'utf8');
      for (const word of ['@upsync/server', 'express', '@mikro-orm', 'mysql2', '@upsync/sync-core']) {
        if (text.includes(word)) offenders.push(`${path.basename(file)}: ${word}`);
      }
      if (file.endsWith('.d.ts') && text.includes('@trpc/')) offenders.push(`${path.basename(file)}: @trpc`);
      if (file.endsWith('.js') && importsOf(text).some((s) => s.startsWith('@trpc/server'))) {
        offenders.push(`${path.basename(file)}: runtime import of @trpc/server`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('its main entry imports no Node built-in and no CLI library (browser-safe)', async () => {
    const dist = path.join(consumer.installed, 'dist');
    const seen = new Set<string>();
    const bare = new Set<string>();
    const queue = [path.join(dist, 'index.js')];
    while (queue.length > 0) {
      const file = queue.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const specifier of importsOf(await readFile(file, 'utf8'))) {
        if (specifier.startsWith('.')) queue.push(path.resolve(path.dirname(file), specifier));
        else bare.add(specifier);
      }
    }
    expect([...seen].some((f) => f.includes(`${path.sep}cli${path.sep}`))).toBe(false);
    expect([...bare].sort()).toEqual([]);
  });

  it('typechecks a consumer project (types: [], no skipLibCheck) against it', async () => {
    const result = await tsc(consumer.project, 'tsconfig.json');
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('the consumer project cannot see the server package (so the check above would catch a leak)', async () => {
    const result = await tsc(consumer.project, 'tsconfig.leak-probe.json');
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("Cannot find module '@upsync/server'");
  });

  it("typechecks the README's examples as a Node project would", async () => {
    const examples = readmeExamples(await readFile(path.join(clientDir, 'README.md'), 'utf8'));
    expect([...examples.keys()]).toEqual(['quickstart', 'errors']);
    for (const [name, code] of examples)
      await writeFile(path.join(consumer.project, `readme-${name}.ts`), code);
    const result = await tsc(consumer.project, 'tsconfig.readme.json');
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('typechecks every TypeScript snippet of the READMEs and docs/ as written (strict, exactOptionalPropertyTypes)', async () => {
    const docs = (await readdir(path.join(repoRoot, 'docs'))).filter((f) => f.endsWith('.md'));
    const sources = ['README.md', 'packages/client/README.md', ...docs.map((f) => `docs/${f}`)];
    const written: string[] = [];
    for (const source of sources) {
      const text = await readFile(path.join(repoRoot, source), 'utf8');
      let n = 0;
      for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
        const file = `snippet-${source.replace(/[^\w]+/g, '-')}-${++n}.ts`;
        await writeFile(path.join(consumer.project, file), match[1] as string);
        written.push(file);
      }
    }
    // the top README's, docs/api.md's two, packages/client/README.md's three
    expect(written.length).toBeGreaterThanOrEqual(6);
    const result = await tsc(consumer.project, 'tsconfig.snippets.json');
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('its bin runs: --version, and validate on the shipped examples', async () => {
    const bin = path.join(consumer.installed, 'bin/upsync.js');
    expect((await readFile(bin, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    const manifest = JSON.parse(await readFile(path.join(clientDir, 'package.json'), 'utf8'));
    const version = await run(process.execPath, [bin, '--version']);
    expect(version.stdout.trim()).toBe(manifest.version);
    const examples = path.resolve(clientDir, '../../examples');
    const validate = await run(process.execPath, [bin, 'validate', examples]);
    expect(validate.stderr).toContain('2 file(s), 2 payload(s) checked: all valid');
  });

  it.skipIf(!mariadb)(
    "runs the README's examples, pasted into the consumer project, against a real server",
    async () => {
      const examples = readmeExamples(await readFile(path.join(clientDir, 'README.md'), 'utf8'));
      const server = await startRealServer('readme');
      try {
        const env = { ...process.env, UPSYNC_URL: server.url, UPSYNC_TOKEN: TOKEN };
        const outputs: Record<string, { stdout: string; stderr: string }> = {};
        for (const [name, code] of examples) {
          // The examples are plain JavaScript too: run them as pasted, with node, from the consumer project.
          const file = path.join(consumer.project, `pasted-${name}.mjs`);
          await writeFile(file, code);
          outputs[name] = await run(process.execPath, [file], { cwd: consumer.project, env });
        }
        expect(outputs.quickstart?.stdout).toMatch(/^The proposal MX-3456 has been synchronized in [\d.]+\n/);
        expect(outputs.quickstart?.stdout).toMatch(
          /\n\d+ \{ created: 1, updated: 0, unchanged: 0, deleted: 0 \}\n$/,
        );
        expect(
          await server.query('SELECT proposalId FROM Proposal WHERE proposalNumber = ?', ['3456']),
        ).toHaveLength(1);
        expect(outputs.errors?.stderr).toMatch(/^proposal\.persons\[0\]\.login: /);
      } finally {
        await server.close();
      }
    },
  );
});
