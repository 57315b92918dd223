import type { TSyncStats } from '@upsync/client';
import { formatDuration, OUTCOME_LABELS, type OutcomeClass } from '../format.js';
import { runsHref } from '../routes.js';

const CLASSES: OutcomeClass[] = ['changed', 'unchanged', 'failed', 'dryRun'];

/** The range's syncs by outcome class, each a link to those runs, with the range's p50/p95. */
export function OutcomeTotals({ stats }: { stats: TSyncStats }) {
  const { totals } = stats;
  return (
    <ul class="tiles" aria-label="Syncs by outcome">
      {CLASSES.map((outcome) => (
        <li key={outcome} class={`tile tile-${outcome}`}>
          <a class="tile-link" href={runsHref({ outcome, from: stats.from, to: stats.to })}>
            <span class="tile-number">{totals[outcome]}</span>
            <span class="tile-label">{OUTCOME_LABELS[outcome]}</span>
          </a>
        </li>
      ))}
      <li class="tile">
        <span class="tile-number">{totals.total}</span>
        <span class="tile-label">in all</span>
      </li>
      <li class="tile">
        <span class="tile-number">
          {formatDuration(totals.p50Ms)} / {formatDuration(totals.p95Ms)}
        </span>
        <span class="tile-label">p50 / p95 duration</span>
      </li>
    </ul>
  );
}
