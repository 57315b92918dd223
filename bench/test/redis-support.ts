import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../src/private-mariadb.js';

const run = promisify(execFile);

/** The shared Redis of these machines (UPSYNC_TEST_REDIS_URL, default redis://127.0.0.1:6379). */
export function testRedisUrl(): string {
  return process.env.UPSYNC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** Runs redis-cli against `url` (host and port only), bounded in time. */
export async function redisCli(url: string, ...args: string[]): Promise<string> {
  const u = new URL(url);
  const { stdout } = await run('redis-cli', ['-h', u.hostname, '-p', u.port || '6379', ...args], {
    timeout: 10_000,
  });
  return stdout.trim();
}

/** Whether Redis answers at `url`; skips loudly, or fails under CI=true, when it does not. */
export async function redisReachable(url = testRedisUrl()): Promise<boolean> {
  const pong = await redisCli(url, 'PING').catch((error: Error) => error.message);
  if (pong === 'PONG') return true;
  const message = `Redis at ${url} does not answer (${pong.slice(0, 200)})`;
  if (process.env.CI === 'true') throw new Error(`${message}: the Redis tests cannot be skipped in CI`);
  console.error(`\n${'!'.repeat(78)}\n!!! ${message}\n!!! SKIPPING the Redis tests.\n${'!'.repeat(78)}\n`);
  return false;
}

/**
 * A private redis-server on a port of its own (never the shared one), which a test stops and
 * starts again on the same port: Redis "goes away" for real and comes back empty.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), await mkdtemp(path.join(os.tmpdir(), 'upsync-redis-')));
    await redis.resume();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server (again) on its port and waits until it answers. */
  async resume(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      if (await listening(this.port)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`private redis-server on ${this.port} did not start`);
  }

  /** Stops this redis-server (its own child process) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
