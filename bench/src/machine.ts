import { readFileSync } from 'node:fs';
import os from 'node:os';
import type mysql from 'mysql2/promise';

/** What the benchmark ran on, for the results table and the README. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  mariadb: string;
  loadAverage: number[];
  /** ms one core takes for a fixed piece of JSON work (`calibrate`): compares runs on different VMs. */
  calibrationMs?: number;
}

/** Describes this machine and the MariaDB server behind `conn`. */
export async function machineInfo(conn: mysql.Connection): Promise<MachineInfo> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    mariadb: String(rows[0]?.v ?? 'unknown'),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    calibrationMs: calibrate(),
  };
}

/**
 * The best of three timings of a fixed piece of JavaScript work like the server's own (JSON of
 * 200 small records, written and parsed 500 times). Machines reporting the same "2 × AMD EPYC"
 * gave this benchmark throughputs 2× apart on different days, for causes the guest cannot see:
 * this number, printed with the results, tells runs on a slower machine from slower code.
 */
function calibrate(): number {
  const records = Array.from({ length: 200 }, (_, i) => ({
    id: i,
    login: `user${i}`,
    familyName: `Lovelace ${i}`,
    emailAddress: `u${i}@example.org`,
    laboratory: { name: `Lab ${i}`, city: 'Grenoble', country: 'France' },
  }));
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < 500; i++) JSON.parse(JSON.stringify(records));
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return Math.round(best);
}

/** The machine's CPU time so far, from /proc/stat (Linux): all of it, and what the hypervisor stole. */
export function cpuTicks(): { total: number; steal: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: f.reduce((a, b) => a + b, 0), steal: f[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/** The share (%) of the machine's CPU time the hypervisor took for other guests between two readings. */
export function stealPercent(
  from: ReturnType<typeof cpuTicks>,
  to: ReturnType<typeof cpuTicks>,
): number | undefined {
  if (!from || !to || to.total <= from.total) return undefined;
  return Math.round(((to.steal - from.steal) / (to.total - from.total)) * 1000) / 10;
}

/**
 * The MariaDB server's process id when it runs on this machine (its pid file is readable and the
 * process exists), so that its CPU time per proposal can be reported; undefined otherwise.
 */
export async function mariadbPid(conn: mysql.Connection): Promise<number | undefined> {
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT @@pid_file AS f');
    const pid = Number(readFileSync(String(rows[0]?.f), 'utf8').trim());
    readFileSync(`/proc/${pid}/stat`);
    return pid;
  } catch {
    return undefined;
  }
}
