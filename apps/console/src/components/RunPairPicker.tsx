import type { TSyncRun } from '@upsync/client';
import { useEffect, useState } from 'preact/hooks';
import { formatInstant, OUTCOME_LABELS } from '../format.js';

const label = (run: TSyncRun) =>
  `#${run.id} · ${formatInstant(run.startedAt)} · ${OUTCOME_LABELS[run.outcomeClass]} · ${run.principal}`;

/** Two of a proposal's runs to compare (older first); the choice goes to the URL. */
export function RunPairPicker(props: {
  runs: TSyncRun[];
  from?: number;
  to?: number;
  onCompare(from: number, to: number): void;
}) {
  const [from, setFrom] = useState(props.from ?? props.runs[1]?.id);
  const [to, setTo] = useState(props.to ?? props.runs[0]?.id);
  useEffect(() => {
    setFrom(props.from ?? props.runs[1]?.id);
    setTo(props.to ?? props.runs[0]?.id);
  }, [props.from, props.to, props.runs]);

  if (props.runs.length < 2) return <p>Fewer than two runs of this proposal: nothing to compare.</p>;
  return (
    <form
      class="filters"
      aria-label="Compare two runs"
      onSubmit={(event) => {
        event.preventDefault();
        if (from !== undefined && to !== undefined) props.onCompare(from, to);
      }}
    >
      <label>
        Earlier run
        <select value={String(from)} onChange={(e) => setFrom(Number(e.currentTarget.value))}>
          {props.runs.map((run) => (
            <option key={run.id} value={String(run.id)}>
              {label(run)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Later run
        <select value={String(to)} onChange={(e) => setTo(Number(e.currentTarget.value))}>
          {props.runs.map((run) => (
            <option key={run.id} value={String(run.id)}>
              {label(run)}
            </option>
          ))}
        </select>
      </label>
      <div class="filter-actions">
        <button type="submit">Show diff</button>
      </div>
    </form>
  );
}
