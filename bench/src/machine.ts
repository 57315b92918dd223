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
  };
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
