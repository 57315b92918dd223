import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { connect } from './db.js';

const run = promisify(execFile);

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A private, throw-away mariadbd (own datadir, socket and port on 127.0.0.1), for fault tests that stop
 * and restart the database. The shared server on 3306 is never touched. `--no-defaults` keeps
 * /etc/mysql out of it; root has an empty password on 127.0.0.1.
 */
export class PrivateMariaDb {
  private child: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
    /** Extra mariadbd options (e.g. `--innodb-flush-log-at-trx-commit=2` for experiments). */
    readonly extraArgs: readonly string[] = [],
  ) {}

  /** `mysql://root@127.0.0.1:<port>` */
  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}`;
  }

  /** Creates the datadir (mariadb-install-db, ~2 s) and starts the server. */
  static async create(extraArgs: readonly string[] = []): Promise<PrivateMariaDb> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'upsync-mariadb-'));
    await run(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${dir}/data`,
        '--user=root',
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
      ],
      { timeout: 60_000 },
    );
    const db = new PrivateMariaDb(dir, await freePort(), extraArgs);
    await db.start();
    return db;
  }

  /** True when the binaries exist on this machine. */
  static async available(): Promise<boolean> {
    try {
      // only look the binaries up: running mariadb-install-db without --datadir would touch the default one
      await run('sh', ['-c', 'command -v mariadbd && command -v mariadb-install-db'], { timeout: 10_000 });
      return true;
    } catch {
      return false;
    }
  }

  /** Starts mariadbd and waits until it answers (at most `timeoutMs`). */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.child) return;
    const child = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${this.dir}/data`,
        `--socket=${this.dir}/sock`,
        `--pid-file=${this.dir}/pid`,
        `--log-error=${this.dir}/error.log`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        '--user=root',
        '--innodb-buffer-pool-size=64M',
        '--innodb-log-file-size=16M',
        '--skip-log-bin',
        ...this.extraArgs,
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const conn = await connect(undefined, this.url);
        await conn.query('SELECT 1');
        await conn.end();
        return;
      } catch (error) {
        if (Date.now() > deadline || !this.child)
          throw new Error(`private mariadbd did not start: ${String(error)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Stops the server: SIGTERM (clean shutdown) or SIGKILL (a crash); resolves when it has exited. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
    this.child = undefined;
  }

  /** Stops the server and deletes its datadir. */
  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }
}
