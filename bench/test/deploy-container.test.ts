import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@upsync/sync-core/testing';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db.js';
import { integrityViolations, proposalState } from '../src/invariants.js';
import { type JsonObject, PayloadFactory } from '../src/payloads.js';
import { freePort } from '../src/private-mariadb.js';
import { REPO_ROOT, run, toolsReady } from './deploy-support.js';
import { mariadbReachable } from './support.js';

// The image the way an administrator gets it: deploy/debian-base.sh (the local base: no registry is
// reachable here) and deploy/build-image.sh, then `podman run` against the host's MariaDB.
const IMAGE = 'localhost/upsync:test';
const BASE_IMAGE = 'localhost/debian-base:bookworm';
const SYNC = '/ispyb/api/v1/webservices/userportalsync/sync_proposal';
const TOKEN = `deploy-${randomBytes(12).toString('hex')}`;
const SUFFIX = randomBytes(3).toString('hex');
/** podman here: the runc runtime (crun fails on this cgroup setup) and the host's network. */
const RUN_OPTIONS = ['--runtime', 'runc', '--network', 'host'];

const ready =
  (await toolsReady('the container test', ['podman', 'runc', 'debootstrap'], true)) &&
  (await mariadbReachable());

const examples = async () =>
  Promise.all(
    ['pyispyb-create.json', 'pyispyb-update.json'].map(
      async (file) =>
        JSON.parse(await readFile(path.join(REPO_ROOT, 'examples', file), 'utf8')) as JsonObject,
    ),
  );

const podman = (args: string[], timeoutMs = 120_000) => run('podman', args, { timeoutMs });

/** Starts a container of the image under test, detached; `env` is its whole configuration. */
async function runDetached(
  name: string,
  env: Record<string, string>,
  extra: string[] = [],
  command: string[] = [],
) {
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  // podman runs a healthcheck from systemd timers, absent here: the tests run it with `podman healthcheck run`
  const started = await podman([
    'run',
    '-d',
    '--name',
    name,
    ...RUN_OPTIONS,
    ...envArgs,
    ...extra,
    IMAGE,
    ...command,
  ]);
  expect(started.code, started.stderr).toBe(0);
}

/** `serve` in a container on `port`, once it answers /health; its base URL. */
async function startContainer(name: string, port: number, env: Record<string, string>, extra: string[] = []) {
  await runDetached(name, { PORT: String(port), ...env }, extra);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const answer = await fetch(`${base}/health`).catch(() => undefined);
    if (answer?.ok) return base;
    const state = await podman(['inspect', '--format', '{{.State.Running}}', name]);
    if (state.stdout.trim() !== 'true') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const logs = await podman(['logs', name]);
  throw new Error(`container ${name} did not answer /health:\n${logs.stdout}${logs.stderr}`);
}

async function removeContainer(name: string) {
  await podman(['rm', '-f', '-v', '-t', '0', name]);
}

const sync = (base: string, payload: unknown) =>
  fetch(`${base}${SYNC}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });

const readBack = async (base: string, code: string, number: string) => {
  const answer = await fetch(`${base}/ispyb/api/v1/webservices/userportalsync/proposal/${code}/${number}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return { status: answer.status, body: (await answer.json()) as JsonObject };
};

// generous: a build from nothing compiles on 2 shared cores; each test starts containers
describe.skipIf(!ready)(
  'deploy: the container image (Containerfile) under podman',
  { timeout: 300_000 },
  () => {
    const started = Date.now();
    const containers: string[] = [];
    const volume = `upsync-test-data-${SUFFIX}`;
    let db: TestDatabase;
    let admin: mysql.Connection;
    let buildSeconds = 0;

    beforeAll(async () => {
      const base = await run('deploy/debian-base.sh', [], { timeoutMs: 600_000 });
      expect(base.code, base.stderr).toBe(0);
      const t0 = Date.now();
      const build = await run('deploy/build-image.sh', RUN_OPTIONS, {
        env: { ...process.env, BASE_IMAGE, IMAGE },
        timeoutMs: 1_500_000,
      });
      buildSeconds = (Date.now() - t0) / 1000;
      expect(build.code, `${build.stdout.slice(-4000)}\n${build.stderr.slice(-4000)}`).toBe(0);
      // upsync's own tables come from the image's `setup`, as an administrator creates them
      db = await createTestDatabase('deploy', { serviceTables: false });
      admin = await connect(db.databaseName);
    }, 1_800_000);

    afterAll(async () => {
      for (const name of containers) await removeContainer(name);
      await podman(['volume', 'rm', '-f', volume]);
      await admin?.end();
      await db?.drop();
      const size = await podman(['image', 'inspect', '--format', '{{.Size}}', IMAGE]);
      console.log(
        `deploy container test: image built in ${buildSeconds.toFixed(0)} s, ${(Number(size.stdout) / 1e6).toFixed(0)} MB; whole suite ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
    }, 300_000);

    it('carries the pinned Node, runs as a non-root user, has no shell, and declares its healthcheck', async () => {
      const nvmrc = (await readFile(path.join(REPO_ROOT, '.nvmrc'), 'utf8')).trim();
      const version = await podman([
        'run',
        '--rm',
        ...RUN_OPTIONS,
        '--entrypoint',
        '/usr/local/bin/node',
        IMAGE,
        '-p',
        'process.version + " " + process.getuid()',
      ]);
      expect(version.stdout.trim()).toBe(`v${nvmrc.replace(/^v/, '')} 10001`);
      const shell = await podman([
        'run',
        '--rm',
        ...RUN_OPTIONS,
        '--entrypoint',
        '/bin/sh',
        IMAGE,
        '-c',
        'true',
      ]);
      expect(shell.code).not.toBe(0);
      const config = await podman([
        'image',
        'inspect',
        '--format',
        '{{json .Config.Healthcheck}} {{json .Config.Volumes}}',
        IMAGE,
      ]);
      expect(config.stdout).toContain('/health');
      expect(config.stdout).toContain('"/data"');
    });

    it("`setup` in the image creates upsync's tables in the database DATABASE_URL names", async () => {
      const setup = await podman([
        'run',
        '--rm',
        ...RUN_OPTIONS,
        '-e',
        `DATABASE_URL=${db.url}`,
        IMAGE,
        'setup',
      ]);
      expect(setup.code, setup.stderr).toBe(0);
      const [tables] = await admin.query<mysql.RowDataPacket[]>("SHOW TABLES LIKE 'upsync%'");
      expect(tables.length).toBeGreaterThan(0);
    });

    it('serves on MariaDB: healthcheck healthy, syncs both examples, reads the proposal back', async () => {
      const name = `upsync-test-serve-${SUFFIX}`;
      containers.push(name);
      const base = await startContainer(name, await freePort(), {
        DATABASE_URL: db.url,
        UPSYNC_API_TOKENS: `deploy:${TOKEN}:sync+read`,
      });
      const health = await podman(['healthcheck', 'run', name]);
      expect(health.code, health.stdout + health.stderr).toBe(0);
      const [create, update] = await examples();
      for (const payload of [create, update]) {
        const answer = await sync(base, payload);
        expect(answer.status, await answer.clone().text()).toBe(200);
      }
      const proposal = (
        update as { proposal: { proposalCode: string; proposalNumber: string; title: string } }
      ).proposal;
      const back = await readBack(base, proposal.proposalCode, proposal.proposalNumber);
      expect(back.status).toBe(200);
      expect((back.body.proposal as JsonObject).title).toBe(proposal.title);
      await removeContainer(name);
    });

    it('SIGTERM (podman stop) during a batch: exits 0, every 200 is a complete proposal, nothing half-written or failed', async () => {
      const name = `upsync-test-sigterm-${SUFFIX}`;
      containers.push(name);
      const base = await startContainer(name, await freePort(), {
        DATABASE_URL: db.url,
        UPSYNC_API_TOKENS: `deploy:${TOKEN}`,
        UPSYNC_SHUTDOWN_TIMEOUT_MS: '20000',
      });
      const factory = new PayloadFactory({
        seed: 27,
        namespace: `dep${SUFFIX}`,
        sharedPersons: 0,
        sharedLabs: 2,
      });
      const payloads = Array.from({ length: 60 }, () => factory.typical());
      const outcomes: (number | string)[] = new Array(payloads.length);
      let next = 0;
      let stopAt: Promise<unknown> | undefined;
      const worker = async () => {
        while (next < payloads.length) {
          const i = next++;
          try {
            const answer = await sync(base, payloads[i]);
            outcomes[i] = answer.status;
            await answer.arrayBuffer();
          } catch (error) {
            outcomes[i] = `network: ${(error as Error).cause ?? (error as Error).message}`;
          }
          // SIGTERM once the batch is under way: requests are in flight on every worker
          if (i === 10) stopAt ??= podman(['stop', '-t', '40', name]);
        }
      };
      await Promise.all(Array.from({ length: 6 }, worker));
      const stopped = (await stopAt) as Awaited<ReturnType<typeof podman>>;
      expect(stopped.code, stopped.stderr).toBe(0);
      const state = await podman(['inspect', '--format', '{{.State.ExitCode}}', name]);
      expect(state.stdout.trim()).toBe('0');
      const logs = await podman(['logs', name]);
      expect(logs.stdout).toContain('shutting down');
      expect(logs.stdout).toMatch(/"msg":"stopped"/);

      const ok = outcomes.filter((o) => o === 200).length;
      const refused = outcomes.filter((o) => o !== 200);
      console.log(
        `SIGTERM during ${payloads.length} syncs: ${ok} answered 200, the rest ${JSON.stringify([...new Set(refused)])}`,
      );
      expect(ok).toBeGreaterThan(10);
      // after SIGTERM a sync is refused (503) or never reaches the server; none fails half-way
      for (const o of refused) expect(typeof o === 'string' || o === 503, String(o)).toBe(true);
      for (const [i, payload] of payloads.entries()) {
        const state = await proposalState(admin, payload);
        if (outcomes[i] === 200) expect(state, `proposal ${i}`).toBe('complete');
        else expect(['complete', 'absent'], `proposal ${i}`).toContain(state);
      }
      expect(await integrityViolations(admin)).toEqual(
        Object.fromEntries(Object.keys(await integrityViolations(admin)).map((k) => [k, 0])),
      );
      await removeContainer(name);
    });

    it('read-only root file system, the embedded database in a volume: syncs, and the data outlives the container', async () => {
      const created = await podman(['volume', 'create', volume]);
      expect(created.code, created.stderr).toBe(0);
      const [create] = await examples();
      const proposal = (
        create as { proposal: { proposalCode: string; proposalNumber: string; title: string } }
      ).proposal;
      const env = { UPSYNC_API_TOKENS: `deploy:${TOKEN}:sync+read` };
      const extra = ['--read-only', '-v', `${volume}:/data`];

      const first = `upsync-test-ro-${SUFFIX}`;
      containers.push(first);
      let base = await startContainer(first, await freePort(), env, extra);
      const health = await podman(['healthcheck', 'run', first]);
      expect(health.code, health.stdout + health.stderr).toBe(0);
      const answer = await sync(base, create);
      expect(answer.status, await answer.clone().text()).toBe(200);
      const stop = await podman(['stop', '-t', '40', first]);
      expect(stop.code, stop.stderr).toBe(0);
      expect((await podman(['inspect', '--format', '{{.State.ExitCode}}', first])).stdout.trim()).toBe('0');
      await removeContainer(first);

      const second = `upsync-test-ro2-${SUFFIX}`;
      containers.push(second);
      base = await startContainer(second, await freePort(), env, extra);
      const back = await readBack(base, proposal.proposalCode, proposal.proposalNumber);
      expect(back.status).toBe(200);
      expect((back.body.proposal as JsonObject).title).toBe(proposal.title);
      const logs = await podman(['logs', second]);
      expect(logs.stdout).toContain('sqlite:/data/upsync.sqlite');
      await removeContainer(second);
    });

    it('the RabbitMQ consumer as a second container: healthy on its monitor port, exits 0 on SIGTERM', async () => {
      const amqpUrl = process.env.UPSYNC_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
      const name = `upsync-test-consumer-${SUFFIX}`;
      containers.push(name);
      const port = String(await freePort());
      await runDetached(
        name,
        {
          DATABASE_URL: db.url,
          UPSYNC_API_TOKENS: `deploy:${TOKEN}`,
          UPSYNC_AMQP_URL: amqpUrl,
          UPSYNC_AMQP_QUEUE: `upsync.deploy-test.${SUFFIX}`,
          UPSYNC_AMQP_DEAD_LETTER_QUEUE: `upsync.deploy-test.${SUFFIX}.dead`,
          PORT: port,
          UPSYNC_AMQP_MONITOR_PORT: port,
        },
        [],
        ['consume'],
      );
      let healthy = false;
      for (let i = 0; i < 120 && !healthy; i++) {
        healthy = (await podman(['healthcheck', 'run', name])).code === 0;
        if (!healthy) await new Promise((r) => setTimeout(r, 250));
      }
      const logs = await podman(['logs', name]);
      expect(healthy, logs.stdout + logs.stderr).toBe(true);
      const stop = await podman(['stop', '-t', '40', name]);
      expect(stop.code, stop.stderr).toBe(0);
      expect((await podman(['inspect', '--format', '{{.State.ExitCode}}', name])).stdout.trim()).toBe('0');
      await removeContainer(name);
    });

    it("the systemd install's unpack step (docs/deploying.md) gives a server that runs on the host", async () => {
      const root = await mkdtemp(path.join(os.tmpdir(), 'upsync-opt-'));
      const name = `upsync-test-unpack-${SUFFIX}`;
      try {
        expect((await podman(['create', '--name', name, IMAGE])).code).toBe(0);
        await mkdir(path.join(root, 'node/bin'), { recursive: true });
        expect((await podman(['cp', `${name}:/app`, path.join(root, 'app')])).code).toBe(0);
        expect(
          (await podman(['cp', `${name}:/usr/local/bin/node`, path.join(root, 'node/bin/node')])).code,
        ).toBe(0);
        const port = await freePort();
        const child = spawn(
          path.join(root, 'node/bin/node'),
          [path.join(root, 'app/apps/server/dist/cli.js'), 'serve'],
          {
            cwd: path.join(root, 'app'),
            env: {
              PATH: process.env.PATH,
              NODE_ENV: 'production',
              PORT: String(port),
              DATABASE_URL: db.url,
              UPSYNC_API_TOKENS: `deploy:${TOKEN}:sync+read`,
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let output = '';
        child.stdout.on('data', (d) => {
          output += d;
        });
        child.stderr.on('data', (d) => {
          output += d;
        });
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        let healthy = false;
        for (let i = 0; i < 120 && !healthy && child.exitCode === null; i++) {
          healthy = (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.ok === true;
          if (!healthy) await new Promise((r) => setTimeout(r, 250));
        }
        const [create] = await examples();
        const answer = healthy ? await sync(`http://127.0.0.1:${port}`, create) : undefined;
        child.kill('SIGTERM');
        expect(healthy, output).toBe(true);
        expect(answer?.status, output).toBe(200);
        expect(await exited, output).toBe(0);
      } finally {
        await podman(['rm', '-f', '-v', name]);
        await rm(root, { recursive: true, force: true });
      }
    });
  },
);
