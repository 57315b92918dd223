import { describe, expect, it } from 'vitest';
import { type SoakInterval, soakVerdict } from '../src/soak-criteria.js';

const MiB = 1024 ** 2;
const row = (over: Partial<SoakInterval> = {}): SoakInterval => ({
  syncsPerSecond: 50,
  p50: 100,
  p99: 300,
  loopP99: 20,
  rss: 200 * MiB,
  heap: 80 * MiB,
  failures: 0,
  latencies: Array.from({ length: 100 }, (_, i) => 100 + i * 2),
  ...over,
});

describe('the soak pass criteria', () => {
  it('pass: no failure, flat memory, a steady p99', () => {
    const verdict = soakVerdict(Array.from({ length: 30 }, () => row()));
    expect(verdict.pass).toBe(true);
    expect(verdict.lines.every((l) => l.startsWith('ok'))).toBe(true);
  });

  it('fail: one failed sync, memory growing more than 10 % after minute 5, p99 30 % up', () => {
    const rows = Array.from({ length: 30 }, () => row());
    expect(soakVerdict(rows, { tailFailures: 1 }).pass).toBe(false);
    const leaking = rows.map((r, i) => ({ ...r, heap: (80 + i) * MiB }));
    expect(soakVerdict(leaking).lines.filter((l) => l.startsWith('FAIL'))).toEqual([
      expect.stringMatching(/^FAIL heap 85\.0 → 109\.0 MiB/),
    ]);
    const slower = rows.map((r, i) => (i >= 25 ? { ...r, latencies: r.latencies.map((x) => x * 1.5) } : r));
    expect(soakVerdict(slower).lines.filter((l) => l.startsWith('FAIL'))).toEqual([
      expect.stringMatching(/^FAIL p99 .* \+50\.0 %/),
    ]);
    // memory growth in the first five minutes (start-up) does not count
    const warming = rows.map((r, i) => (i < 5 ? { ...r, rss: 100 * MiB } : r));
    expect(soakVerdict(warming).pass).toBe(true);
  });

  it('too short a run is not a pass', () => {
    expect(soakVerdict(Array.from({ length: 10 }, () => row())).lines.at(-1)).toMatch(/need at least 15/);
  });
});
