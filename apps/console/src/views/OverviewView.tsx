import type { TSyncStatsQueryInput } from '@upsync/client';
import { useLocation } from 'preact-iso';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { FailureCodes } from '../components/FailureCodes.js';
import { OutcomeTotals } from '../components/OutcomeTotals.js';
import { OverviewCharts } from '../components/OverviewCharts.js';
import { formatInstant } from '../format.js';
import { paths, withQuery } from '../routes.js';
import { useSession } from '../session.js';
import { useResource } from '../use-resource.js';

const RANGES: { range: NonNullable<TSyncStatsQueryInput['range']>; label: string }[] = [
  { range: '1h', label: 'Last hour' },
  { range: '24h', label: 'Last 24 hours' },
  { range: '7d', label: 'Last 7 days' },
];
/** The overview follows new syncs without a reload, less often than the runs list. */
const POLL_MS = 15_000;

/** What ran over the last hour / day / week: counts by outcome, failure codes, rates, durations. */
export function OverviewView() {
  const { client } = useSession();
  const { query } = useLocation();
  const range = RANGES.find((r) => r.range === query.range)?.range ?? '24h';
  const stats = useResource(() => client.syncStats({ range }), [client, range], POLL_MS);

  return (
    <>
      <h1>Overview</h1>
      <nav aria-label="Time range" class="ranges">
        {RANGES.map((r) => (
          <a
            key={r.range}
            class="range-link"
            href={withQuery(paths.overview, { range: r.range })}
            aria-current={r.range === range ? 'page' : undefined}
          >
            {r.label}
          </a>
        ))}
      </nav>
      <ErrorMessage error={stats.error} action="The overview" />
      {stats.data && (
        <>
          <p class="muted">
            {formatInstant(stats.data.from)} to {formatInstant(stats.data.to)}
          </p>
          <OutcomeTotals stats={stats.data} />
          <OverviewCharts stats={stats.data} />
          <FailureCodes codes={stats.data.failureCodes} />
        </>
      )}
      {!stats.data && stats.loading && <p aria-live="polite">Loading…</p>}
    </>
  );
}
