import { useEffect, useState } from 'preact/hooks';
import { OUTCOME_LABELS } from '../format.js';
import type { RunFilters } from '../routes.js';

/** `2026-12-06T06:00:00Z` ⇄ the value of a datetime-local input read as UTC (`2026-12-06T06:00`). */
const toInput = (iso?: string) => (iso ? iso.slice(0, 16) : '');
const fromInput = (value: string) => (value ? `${value}:00Z` : undefined);

/**
 * The runs list's filters as a form: applying it changes the URL (so a filtered list can be
 * shared and reloaded); the list reads its filters from there.
 */
export function RunsFilters({ filters, onApply }: { filters: RunFilters; onApply(next: RunFilters): void }) {
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters]);
  const set = (key: keyof RunFilters) => (event: Event) =>
    setDraft((d) => ({ ...d, [key]: (event.currentTarget as HTMLInputElement).value }));

  return (
    <form
      class="filters"
      aria-label="Filter runs"
      onSubmit={(event) => {
        event.preventDefault();
        onApply({ ...draft, cursor: undefined });
      }}
    >
      <label>
        Outcome
        <select value={draft.outcome ?? ''} onChange={set('outcome')}>
          <option value="">any</option>
          {Object.entries(OUTCOME_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Principal
        <input value={draft.principal ?? ''} onInput={set('principal')} placeholder="token name" />
      </label>
      <label>
        Proposal
        <input value={draft.proposal ?? ''} onInput={set('proposal')} placeholder="MX-3456" />
      </label>
      <UtcInput
        label="From (UTC)"
        value={draft.from}
        onChange={(from) => setDraft((d) => ({ ...d, from }))}
      />
      <UtcInput label="To (UTC)" value={draft.to} onChange={(to) => setDraft((d) => ({ ...d, to }))} />
      <div class="filter-actions">
        <button type="submit">Apply filters</button>
        <button type="button" class="secondary" onClick={() => onApply({})}>
          Clear
        </button>
      </div>
    </form>
  );
}

function UtcInput(props: { label: string; value?: string; onChange(iso: string | undefined): void }) {
  return (
    <label>
      {props.label}
      <input
        type="datetime-local"
        value={toInput(props.value)}
        onInput={(e) => props.onChange(fromInput(e.currentTarget.value))}
      />
    </label>
  );
}
