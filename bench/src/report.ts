import Table from 'cli-table3';
import type { MachineInfo } from './machine.js';
import type { SeriesResult, ThroughputResult } from './measure.js';
import { fmtMs } from './stats.js';

/** Everything measured for one database size with or without the optional indexes. */
export interface ConfigResult {
  n: number;
  indexes: boolean;
  prefillMs: number;
  newInProcess: SeriesResult;
  resyncInProcess: SeriesResult;
  newHttp?: SeriesResult;
  resyncHttp?: SeriesResult;
  throughput: ThroughputResult[];
}

/** The whole run, as written to results/<timestamp>.json. */
export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  options: Record<string, unknown>;
  machine: MachineInfo;
  /** 1/5/15-minute load averages when the run ended (the machine may be shared). */
  loadAverageEnd: number[];
  /** CPU time stolen by the hypervisor during the run (%), where /proc/stat tells. */
  stealPercent?: number;
  results: ConfigResult[];
  targets: TargetCheck[];
}

/** One target of the issue, with the measured value and whether it is met. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

const pp = (s?: SeriesResult) =>
  s ? `${fmtMs(s.latency.p50)} / ${fmtMs(s.latency.p95)}${s.failures ? ` (${s.failures} failed)` : ''}` : '–';
const tp = (r: ConfigResult, c: number) => {
  const t = r.throughput.find((x) => x.concurrency === c);
  if (!t) return '–';
  // the median batch, and the range of all batches when several ran
  const range =
    t.batches && t.batches.length > 1
      ? ` (${Math.min(...t.batches).toFixed(0)}–${Math.max(...t.batches).toFixed(0)})`
      : '';
  return `${t.perSecond.toFixed(0)}${range}${t.failures ? ` (${t.failures} failed)` : ''}`;
};

export const HEADERS = [
  'N rows',
  'index',
  'new p50/p95 ms in-process',
  'new p50/p95 ms HTTP',
  're-sync p50/p95 ms in-process',
  're-sync p50/p95 ms HTTP',
  're-sync writes',
  'statements per new (writes) / round trips',
  'time in DB (new)',
  'prop./s HTTP c=1',
  'prop./s HTTP c=8',
  'CPU ms/prop. c=8: server / MariaDB / bench',
];

/** One row per configuration, as strings. */
export function rows(results: readonly ConfigResult[]): string[][] {
  return results.map((r) => {
    const t8 = r.throughput.find((t) => t.concurrency === 8);
    const ms = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(1));
    return [
      r.n.toLocaleString('en-US'),
      r.indexes ? 'yes' : 'no',
      pp(r.newInProcess),
      pp(r.newHttp),
      pp(r.resyncInProcess),
      pp(r.resyncHttp),
      String(Math.max(r.resyncInProcess.statements.maxWrites, r.resyncHttp?.statements.maxWrites ?? 0)),
      `${r.newInProcess.statements.total} (${r.newInProcess.statements.writes}) / ${r.newInProcess.statements.roundTrips ?? '–'}`,
      `${Math.round(r.newInProcess.dbShare * 100)} %`,
      tp(r, 1),
      tp(r, 8),
      t8 === undefined
        ? '–'
        : `${ms(t8.serverCpuMsPerProposal)} / ${ms(t8.mariadbCpuMsPerProposal)} / ${ms(t8.benchCpuMsPerProposal)}`,
    ];
  });
}

/** The results table for a terminal. */
export function renderTable(results: readonly ConfigResult[]): string {
  const table = new Table({
    head: HEADERS,
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [9, 8, 13, 13, 13, 13, 9, 12, 8, 11, 11, 12],
  });
  for (const row of rows(results)) table.push(row);
  return table.toString();
}

/** The same table in Markdown (README, results/latest.md). */
export function renderMarkdown(results: readonly ConfigResult[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(HEADERS), line(HEADERS.map(() => '---')), ...rows(results).map(line)].join('\n');
}

/** Checks the issue's targets against the results (null: not measured in this run). */
export function checkTargets(results: readonly ConfigResult[]): TargetCheck[] {
  const find = (n: number, idx: boolean) => results.find((r) => r.n === n && r.indexes === idx);
  const big = find(100_000, true);
  const zero = find(0, true) ?? find(0, false);
  const checks: TargetCheck[] = [];
  if (big) {
    const p50 = big.newInProcess.latency.p50;
    checks.push({
      target: 'new typical p50 ≤ 10 ms at N=100,000 with indexes',
      measured: `${fmtMs(p50)} ms (HTTP ${fmtMs(big.newHttp?.latency.p50 ?? Number.NaN)} ms)`,
      met: p50 <= 10,
    });
    if (zero) {
      const ratio = p50 / zero.newInProcess.latency.p50;
      checks.push({
        target: 'new typical p50 at N=100,000 (indexes) ≤ 1.5 × N=0',
        measured: `${ratio.toFixed(2)} ×`,
        met: ratio <= 1.5,
      });
    }
  } else
    checks.push({
      target: 'new typical p50 ≤ 10 ms at N=100,000 with indexes',
      measured: 'not run',
      met: null,
    });
  const writes = Math.max(
    ...results.map((r) =>
      Math.max(r.resyncInProcess.statements.maxWrites, r.resyncHttp?.statements.maxWrites ?? 0),
    ),
  );
  const failed = results.reduce(
    (acc, r) =>
      acc +
      [r.newInProcess, r.resyncInProcess, r.newHttp, r.resyncHttp, ...r.throughput].reduce(
        (a, x) => a + (x?.failures ?? 0),
        0,
      ),
    0,
  );
  checks.push({
    target: 'every sync of the benchmark succeeds',
    measured: `${failed} failed`,
    met: failed === 0,
  });
  const reported = results.reduce(
    (acc, r) => acc + r.resyncInProcess.changed + (r.resyncHttp?.changed ?? 0),
    0,
  );
  checks.push({
    target: 'unchanged re-sync reports every entity unchanged',
    measured: `${reported} entities reported changed`,
    met: reported === 0,
  });
  checks.push({
    target: 'unchanged re-sync issues 0 INSERT/UPDATE/DELETE (every configuration)',
    measured: `max ${writes}`,
    met: writes === 0,
  });
  const resync = (big ?? zero ?? results[0])?.resyncInProcess.latency.p50 ?? Number.NaN;
  checks.push({
    target: 'unchanged re-sync p50 ≤ 5 ms',
    measured: `${fmtMs(resync)} ms${big ? ' at N=100,000 with indexes' : ''}`,
    met: resync <= 5,
  });
  // with the index migration where it ran (without it, look-ups scan tables that grow during the run)
  const indexed = results.some((r) => r.indexes) ? results.filter((r) => r.indexes) : results;
  const c8 = indexed
    .map((r) => ({ n: r.n, t: r.throughput.find((t) => t.concurrency === 8) }))
    .filter((x) => x.t);
  if (c8.length) {
    const worst = c8.reduce((a, b) => (a.t!.perSecond <= b.t!.perSecond ? a : b));
    checks.push({
      target: '≥ 200 proposals/s over HTTP with concurrency 8 (with indexes)',
      measured: `min ${Math.floor(worst.t!.perSecond)}/s (N=${worst.n})`,
      met: worst.t!.perSecond >= 200,
    });
  }
  const stmts = Math.max(...results.map((r) => r.newInProcess.statements.total));
  checks.push({
    target: 'statements per typical new proposal ≤ 25',
    measured: `max ${stmts}`,
    met: stmts <= 25,
  });
  return checks;
}

/** The target checks for a terminal. */
export function renderTargets(checks: readonly TargetCheck[]): string {
  const table = new Table({ head: ['target', 'measured', 'met'], style: { head: [], border: [] } });
  for (const c of checks) table.push([c.target, c.measured, c.met === null ? '–' : c.met ? 'yes' : 'NO']);
  return table.toString();
}
