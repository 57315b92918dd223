import type { TSyncStats } from '@upsync/client';
import { useMemo } from 'preact/hooks';
import { TimeChart } from './TimeChart.js';

/** Colours of the outcome classes; the legend names each series, so colour is never the only cue. */
const COLOURS = { changed: '#1f6feb', unchanged: '#57606a', failed: '#cf222e', dryRun: '#8250df' };

/** Throughput per outcome class and p50/p95 duration over the range, one point per bucket. */
export function OverviewCharts({ stats }: { stats: TSyncStats }) {
  const { times, runs, durations } = useMemo(() => {
    const times = stats.buckets.map((b) => Date.parse(b.start));
    const perMinute = 60_000 / stats.bucketMs;
    const rate = (pick: (b: TSyncStats['buckets'][number]) => number) =>
      stats.buckets.map((b) => pick(b) * perMinute);
    return {
      times,
      runs: [
        { label: 'changed', stroke: COLOURS.changed, values: rate((b) => b.changed) },
        { label: 'unchanged', stroke: COLOURS.unchanged, values: rate((b) => b.unchanged) },
        { label: 'failed', stroke: COLOURS.failed, values: rate((b) => b.failed) },
        { label: 'dry run', stroke: COLOURS.dryRun, values: rate((b) => b.dryRun) },
      ],
      durations: [
        { label: 'p50', stroke: '#1a7f37', values: stats.buckets.map((b) => b.p50Ms) },
        { label: 'p95', stroke: '#bc4c00', values: stats.buckets.map((b) => b.p95Ms) },
      ],
    };
  }, [stats]);

  return (
    <div class="charts">
      <TimeChart title="Throughput: syncs per minute, by outcome" unit="/min" times={times} series={runs} />
      <TimeChart title="Duration: p50 and p95 per bucket" unit="ms" times={times} series={durations} />
    </div>
  );
}
