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
  // preselected: the two newest runs that did not fail (a refused payload has nothing to compare)
  const [newest, previous] = props.runs.filter((run) => run.outcome !== 'failed');
  const [from, setFrom] = useState(props.from ?? previous?.id);
  const [to, setTo] = useState(props.to ?? newest?.id);
  useEffect(() => {
    setFrom(props.from ?? previous?.id);
    setTo(props.to ?? newest?.id);
  }, [props.from, props.to, previous, newest]);

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
      <RunSelect label="Earlier run" runs={props.runs} value={from} onChange={setFrom} />
      <RunSelect label="Later run" runs={props.runs} value={to} onChange={setTo} />
      <div class="filter-actions">
        <button type="submit">Show diff</button>
      </div>
    </form>
  );
}

function RunSelect(props: { label: string; runs: TSyncRun[]; value?: number; onChange(id: number): void }) {
  return (
    <label>
      {props.label}
      <select value={String(props.value)} onChange={(e) => props.onChange(Number(e.currentTarget.value))}>
        {props.runs.map((run) => (
          <option key={run.id} value={String(run.id)}>
            {label(run)}
          </option>
        ))}
      </select>
    </label>
  );
}
