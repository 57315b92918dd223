import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HttpClient } from './http-client.js';
import { freePort } from './private-mariadb.js';

/** The built server entry point (`npm run build` in apps/server). */
export const SERVER_MAIN = fileURLToPath(new URL('../../apps/server/dist/main.js', import.meta.url));

/** A server running as its own Node process, on 127.0.0.1. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** What it wrote to stderr/stdout (the last 64 KiB), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** True when the server has been built (the suite needs `apps/server/dist/main.js`). */
export function serverBuilt(): boolean {
  return existsSync(SERVER_MAIN);
}

/**
 * Starts `node apps/server/dist/main.js` with DATABASE_URL, a free port (reserved here, then passed in
 * PORT; or `env.PORT`, e.g. to restart a replica on its port) and one service token, and waits until
 * /health answers. `options.main`: another checkout's built server, for an A/B comparison;
 * `options.nodeArgs`: node flags (instead of BENCH_SERVER_NODE_ARGS).
 */
export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
  options: { main?: string; nodeArgs?: readonly string[] } = {},
): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const main = options.main ?? SERVER_MAIN;
  // BENCH_SERVER_NODE_ARGS: extra node flags for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
  // to profile it under the throughput batches (NODE_OPTIONS refuses --cpu-prof)
  const nodeArgs = options.nodeArgs ?? process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, main], {
    // no drain before a stop unless a test asks for one: the suites stop many servers
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      UPSYNC_SHUTDOWN_DRAIN_MS: '0',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-65_536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const client = new HttpClient(url, 1);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${out}`);
      try {
        const res = await client.request('/health', { timeoutMs: 1_000 });
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`server did not answer /health within ${timeoutMs} ms: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    client.close();
  }
  return {
    url,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); undefined elsewhere. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** Resident set size of a process (bytes), from /proc (Linux); undefined elsewhere. */
export function processRssBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}
