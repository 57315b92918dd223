import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUpsyncClient, UpsyncNotFoundError } from '../src/index.js';
import { chromiumInstalled, launchChromium, serveStatic } from './helpers/chromium.js';
import { clientDir, repoRoot, tscBin } from './helpers/packed.js';
import { cleanEnv, type LocalRegistry, npm, pack, startLocalRegistry } from './helpers/registry.js';
import { SQLITE_TOKEN, startSqliteServer } from './helpers/sqlite-server.js';

// The publish path, end to end: both packages packed (prepack builds them), published to a real
// npm registry (verdaccio on 127.0.0.1), installed into fresh projects outside the repository
// (ESM, CommonJS, a browser bundle), typechecked in every module mode, and run against a real
// server on SQLite; the browser pages run in Debian's Chromium.

const exec = promisify(execFile);
// npm, tsc and Chromium in child processes: slow on a busy 2-core machine, never stuck
vi.setConfig({ testTimeout: 180_000 });
const schemaDir = path.join(repoRoot, 'packages/schema');
const fixtures = path.join(clientDir, 'test/fixtures/registry');
const attwBin = path.join(repoRoot, 'node_modules/.bin/attw');
const version = (
  JSON.parse(await readFile(path.join(clientDir, 'package.json'), 'utf8')) as { version: string }
).version;
/** The bundle budget of a page that calls parseSyncProposal (minified, then gzipped). */
const BUDGET_GZIP_BYTES = 45 * 1024;
/** A portal's own zod, older than the one the workspace builds with. */
const PORTAL_ZOD = '4.6.6';
/**
 * The oldest maintained Node.js line (the SDK's `engines` floor), from the npm registry's `node`
 * package: the portal projects run on it, whatever runs the tests (the project's pinned Node).
 */
const PORTAL_NODE = '22.23.3';

let work: string;
let registry: LocalRegistry;
let server: Awaited<ReturnType<typeof startSqliteServer>>;
const packed: Record<'schema' | 'client', { tarball: string; files: string[] }> = {} as never;
const project = (name: string) => path.join(work, name);
/** The portal's Node.js binary (installed into the ESM project). */
const portalNode = () => path.join(project('esm'), 'node_modules/.bin/node');

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'upsync-registry-'));
  registry = await startLocalRegistry(path.join(work, 'registry'));
  await mkdir(project('tarballs'));
  packed.schema = await pack(schemaDir, project('tarballs'));
  packed.client = await pack(clientDir, project('tarballs'));
  // schema first: the client depends on it
  await npm(registry, ['publish', packed.schema.tarball], work);
  await npm(registry, ['publish', packed.client.tarball], work);

  for (const name of ['esm', 'cjs', 'browser'])
    await cp(path.join(fixtures, name), project(name), { recursive: true });
  for (const name of ['esm', 'cjs'])
    for (const file of ['typecheck-import.ts', 'typecheck-require.ts'])
      await cp(path.join(fixtures, file), path.join(project(name), file));
  const client = `@upsync/client@${version}`;
  const schema = `@upsync/schema@${version}`;
  // the first install fills the registry's and npm's caches for the other two
  await npm(
    registry,
    ['install', client, schema, `zod@${PORTAL_ZOD}`, `node@${PORTAL_NODE}`],
    project('esm'),
  );
  await Promise.all([
    npm(registry, ['install', client], project('cjs')),
    npm(registry, ['install', client, schema], project('browser')),
  ]);
  server = await startSqliteServer();
}, 480_000);

afterAll(async () => {
  await server?.close();
  await registry?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * Runs tsc on a generated tsconfig (what `tsc --init` sets, no Node types); returns its output
 * ('' when it passed). The nodenext runs also check every shipped declaration file
 * (skipLibCheck off); the others check how the packages resolve and type the portal's code.
 */
async function typecheck(
  dir: string,
  name: string,
  compilerOptions: Record<string, unknown>,
  files: string[],
) {
  const config = path.join(dir, `tsconfig.${name}.json`);
  const options = {
    target: 'ES2022',
    lib: ['ES2023', 'DOM'],
    strict: true,
    esModuleInterop: true,
    noEmit: true,
    types: [],
    skipLibCheck: name !== 'nodenext',
    ...compilerOptions,
  };
  await writeFile(config, JSON.stringify({ compilerOptions: options, files }));
  try {
    await exec(tscBin, ['-p', config], { cwd: dir, env: cleanEnv() });
    return '';
  } catch (error) {
    const e = error as { stdout: string; stderr: string };
    return `${e.stdout}${e.stderr}` || 'tsc failed with no output';
  }
}

/** Every package.json of a package named `name` under node_modules (nested copies included). */
async function copiesOf(dir: string, name: string): Promise<string[]> {
  const entries = await readdir(path.join(dir, 'node_modules'), { recursive: true });
  return entries.filter(
    (entry) =>
      entry === path.join(name, 'package.json') || entry.endsWith(`/node_modules/${name}/package.json`),
  );
}

describe('published to a registry', () => {
  it('the registry serves both packages at the workspace version, public, LGPL-3.0, with their links', async () => {
    for (const name of ['@upsync/schema', '@upsync/client']) {
      const response = await fetch(`${registry.url}${name.replace('/', '%2f')}`);
      expect(response.status, name).toBe(200);
      const document = (await response.json()) as {
        'dist-tags': Record<string, string>;
        versions: Record<string, Record<string, unknown>>;
      };
      expect(document['dist-tags'].latest).toBe(version);
      const manifest = document.versions[version] as Record<string, unknown>;
      expect(manifest.license).toBe('LGPL-3.0-only');
      expect(manifest.publishConfig).toEqual({ access: 'public' });
      expect(manifest.sideEffects).toBe(false);
      for (const field of ['repository', 'homepage', 'bugs', 'engines'])
        expect(manifest[field], field).toBeDefined();
    }
  });

  it('builds on prepack, so a pack from a clean checkout holds the JavaScript', async () => {
    for (const dir of [schemaDir, clientDir]) {
      const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
      expect(manifest.scripts.prepack).toMatch(/(^|&& )tsdown$/);
    }
  });

  it('ships built JavaScript for both formats, both declaration files, the licence and the README', () => {
    for (const files of [packed.schema.files, packed.client.files]) {
      for (const file of [
        'dist/index.js',
        'dist/index.cjs',
        'dist/index.d.ts',
        'dist/index.d.cts',
        'LICENSE',
        'COPYING',
        'README.md',
      ])
        expect(files).toContain(file);
      expect(files.filter((f) => f.includes('.test.') || f.startsWith('src/'))).toEqual([]);
    }
    expect(packed.schema.files).toContain('sync-proposal.schema.json');
    expect(packed.client.files).toEqual(expect.arrayContaining(['bin/upsync.js', 'dist/cli/main.js']));
  });

  it('each README links only to files the package ships, or to absolute URLs', async () => {
    for (const [name, dir] of [
      ['schema', schemaDir],
      ['client', clientDir],
    ] as const) {
      const readme = await readFile(path.join(dir, 'README.md'), 'utf8');
      const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string);
      const local = targets
        .filter((t) => !/^(https?:|#)/.test(t))
        .map((t) => t.replace(/^\.\//, '').replace(/#.*$/, ''));
      for (const target of local) expect(packed[name].files, `${name} README → ${target}`).toContain(target);
    }
  });

  it('publint finds nothing to say about either tarball (strict, suggestions included)', async () => {
    for (const { tarball } of Object.values(packed)) {
      const bytes = await readFile(tarball);
      const tar = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      const { messages, pkg } = await publint({ pack: { tarball: tar }, level: 'suggestion', strict: true });
      expect(
        messages.map((m) => `${m.type}: ${formatMessage(m, pkg)}`),
        path.basename(tarball),
      ).toEqual([]);
    }
  });

  it('are the types wrong: no problem in node10, node16 (CJS and ESM) or bundler resolution', {
    timeout: 120_000,
  }, async () => {
    for (const { tarball } of Object.values(packed)) {
      const result = await exec(attwBin, [tarball, '--format', 'json'], { env: cleanEnv() }).catch((e) => e);
      const report = JSON.parse(result.stdout) as { analysis: { problems: unknown[] } };
      expect(report.analysis.problems, path.basename(tarball)).toEqual([]);
    }
  });

  it("reuses the portal's own zod: one copy in the project, the portal's version", async () => {
    expect(await copiesOf(project('esm'), 'zod')).toEqual(['zod/package.json']);
    const zod = JSON.parse(
      await readFile(path.join(project('esm'), 'node_modules/zod/package.json'), 'utf8'),
    );
    expect(zod.version).toBe(PORTAL_ZOD);
  });
});

describe('an ESM project ("type": "module")', () => {
  it.each([
    ['nodenext', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    ['node16', { module: 'Node16', moduleResolution: 'Node16' }],
    ['bundler', { module: 'ESNext', moduleResolution: 'Bundler' }],
  ])('typechecks with module/moduleResolution %s', { timeout: 180_000 }, async (name, options) => {
    expect(await typecheck(project('esm'), name, options, ['typecheck-import.ts'])).toBe('');
  });

  it('syncs through the SDK against a real server, and reads the proposal back', async () => {
    const env = cleanEnv({ UPSYNC_URL: server.url, UPSYNC_TOKEN: SQLITE_TOKEN });
    expect((await exec(portalNode(), ['--version'])).stdout.trim()).toBe(`v${PORTAL_NODE}`);
    const { stdout } = await exec(portalNode(), ['run.mjs', '7001'], { cwd: project('esm'), env });
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ version, valid: true, readBack: ['esm-user'] });
    expect(out.persons).toEqual({ created: 1, updated: 0, unchanged: 0, deleted: 0 });
    expect(out.proposalId).toBeGreaterThan(0);
  });

  it('runs the installed `upsync` bin with npx: --version and validate', async () => {
    const cwd = project('esm');
    const env = cleanEnv();
    expect((await exec('npx', ['upsync', '--version'], { cwd, env })).stdout.trim()).toBe(version);
    const payload = { proposal: { proposalCode: 'MX', proposalNumber: 1, persons: [{ login: 'a' }] } };
    await writeFile(path.join(cwd, 'payload.json'), JSON.stringify(payload));
    const validate = await exec('npx', ['upsync', 'validate', 'payload.json'], { cwd, env });
    expect(validate.stderr).toContain('1 file(s), 1 payload(s) checked: all valid');
  });
});

describe('a CommonJS project (no "type", as `npm init -y` makes)', () => {
  it('gets no TypeScript: tRPC, whose packages declare it a required peer, is bundled into the SDK', async () => {
    const cwd = project('cjs');
    expect(await copiesOf(cwd, 'typescript')).toEqual([]);
    const tree = JSON.parse((await npm(registry, ['ls', '--all', '--json'], cwd)).stdout) as {
      dependencies: Record<string, { dependencies?: Record<string, unknown> }>;
    };
    const client = tree.dependencies['@upsync/client'];
    expect(Object.keys(client?.dependencies ?? {}).filter((name) => name.startsWith('@trpc/'))).toEqual([]);
    expect(await copiesOf(cwd, '@trpc/client')).toEqual([]);
    const { stdout } = await exec('du', ['-sk', path.join(cwd, 'node_modules')]);
    const kilobytes = Number(stdout.split('\t')[0]);
    console.log(
      `[registry] a CommonJS portal's node_modules after npm install @upsync/client: ${kilobytes} KB`,
    );
    expect(kilobytes).toBeLessThan(20 * 1024);
  });

  it.each([
    [
      'nodenext',
      { module: 'NodeNext', moduleResolution: 'NodeNext' },
      ['typecheck-import.ts', 'typecheck-require.ts'],
    ],
    [
      'node16',
      { module: 'Node16', moduleResolution: 'Node16' },
      ['typecheck-import.ts', 'typecheck-require.ts'],
    ],
    ['bundler', { module: 'Preserve', moduleResolution: 'Bundler' }, ['typecheck-require.ts']],
    ['node10', { module: 'CommonJS', moduleResolution: 'Node10' }, ['typecheck-import.ts']],
  ])('typechecks with module/moduleResolution %s', { timeout: 180_000 }, async (name, options, files) => {
    expect(await typecheck(project('cjs'), name, options, files)).toBe('');
  });

  it('require()s both packages and syncs the same proposal again: unchanged, one row', async () => {
    const env = cleanEnv({ UPSYNC_URL: server.url, UPSYNC_TOKEN: SQLITE_TOKEN });
    const esm = JSON.parse(
      (await exec(portalNode(), ['run.mjs', '7002'], { cwd: project('esm'), env })).stdout,
    );
    const { stdout } = await exec(portalNode(), ['run.cjs', '7002'], { cwd: project('cjs'), env });
    const out = JSON.parse(stdout);
    expect(out.version).toBe(version);
    expect(out.persons).toEqual({ created: 0, updated: 0, unchanged: 1, deleted: 0 });
    expect(out.proposalId).toBe(esm.proposalId);
    expect(out.localErrors).toEqual(['proposal.persons[0].login']);
    expect(out.refused).toEqual(['proposal.persons[0].login']);
  });
});

// Chromium is Debian's package; `.ci/run` installs it, so under CI a missing browser fails.
if (!chromiumInstalled)
  console.warn(
    `\n*** /usr/bin/chromium is missing: the browser tests are ${process.env.CI ? 'failing' : 'SKIPPED'} (apt-get install chromium) ***\n`,
  );
describe.skipIf(!chromiumInstalled && !process.env.CI)(
  'a browser bundle (esbuild) in headless Chromium',
  () => {
    const bundle = async (entry: string) => {
      const outfile = path.join(project('browser'), `${entry}.bundle.js`);
      await build({
        absWorkingDir: project('browser'),
        entryPoints: [`${entry}.js`],
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        outfile,
        logLevel: 'silent',
      });
      const code = await readFile(outfile);
      return { bytes: (await stat(outfile)).size, gzip: gzipSync(code).length };
    };

    const sizes: Record<string, { bytes: number; gzip: number }> = {};
    beforeAll(async () => {
      sizes.validate = await bundle('validate');
      sizes.sync = await bundle('sync');
    }, 60_000);

    it(`keeps a page that calls parseSyncProposal within ${BUDGET_GZIP_BYTES / 1024} KB minified+gzipped`, () => {
      const { validate, sync } = sizes as Record<'validate' | 'sync', { bytes: number; gzip: number }>;
      console.info(
        `browser bundles: parseSyncProposal page ${(validate.bytes / 1024).toFixed(1)} KB min, ${(validate.gzip / 1024).toFixed(1)} KB gz;` +
          ` SDK sync page ${(sync.bytes / 1024).toFixed(1)} KB min, ${(sync.gzip / 1024).toFixed(1)} KB gz`,
      );
      expect(validate.gzip).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    });

    it('validates in the browser: normalised data for a good payload, path and reason for a bad one', {
      timeout: 60_000,
    }, async () => {
      const site = await serveStatic(project('browser'));
      const browser = await launchChromium(await mkdtemp(path.join(work, 'chromium-')));
      try {
        const page = await browser.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await page.goto(`${site.origin}/validate.html`);
        await page.waitForFunction(() => 'upsyncResult' in globalThis);
        const result = await page.evaluate(() => (globalThis as { upsyncResult?: unknown }).upsyncResult);
        expect(pageErrors).toEqual([]);
        expect(result).toEqual({
          good: { proposalCode: 'MX', proposalNumber: '3456', persons: [{ login: 'aweaver' }] },
          bad: [
            {
              path: 'proposal.persons[0].login',
              code: 'too_long',
              message: '300 characters, the column Person.login holds at most 45',
            },
          ],
        });
      } finally {
        await browser.close();
        await site.close();
      }
    });

    it('syncs from a page on an allowed origin (UPSYNC_CORS_ORIGINS), and is refused from another', {
      timeout: 60_000,
    }, async () => {
      const allowed = await serveStatic(project('browser'));
      const other = await serveStatic(project('browser'));
      const corsServer = await startSqliteServer({ UPSYNC_CORS_ORIGINS: allowed.origin });
      const browser = await launchChromium(await mkdtemp(path.join(work, 'chromium-')));
      const syncFrom = async (origin: string, number: string) => {
        const page = await browser.newPage();
        const query = new URLSearchParams({ server: corsServer.url, token: SQLITE_TOKEN, number });
        await page.goto(`${origin}/sync.html?${query}`);
        await page.waitForFunction(() => 'upsyncResult' in globalThis);
        return page.evaluate(() => (globalThis as { upsyncResult?: Promise<unknown> }).upsyncResult);
      };
      try {
        expect(await syncFrom(allowed.origin, '8001')).toMatchObject({
          ok: true,
          persons: { created: 1, updated: 0, unchanged: 0, deleted: 0 },
        });
        expect(await syncFrom(other.origin, '8002')).toMatchObject({
          ok: false,
          name: 'UpsyncUnavailableError',
          code: 'NETWORK_ERROR',
        });
        // the refused page's request never reached the sync: nothing was written
        const node = createUpsyncClient({ url: corsServer.url, token: SQLITE_TOKEN, retries: 0 });
        expect((await node.proposal('MX', '8001')).proposal.persons.map((p) => p.login)).toEqual([
          'browser-user',
        ]);
        await expect(node.proposal('MX', '8002')).rejects.toBeInstanceOf(UpsyncNotFoundError);
      } finally {
        await browser.close();
        await corsServer.close();
        await allowed.close();
        await other.close();
      }
    });
  },
);
