import { OUTCOME_LABELS, type OutcomeClass } from '../format.js';

/** A run's outcome class as a word with a colour (the word carries it, the colour only helps). */
export function OutcomeBadge({ outcome }: { outcome: OutcomeClass }) {
  return <span class={`badge badge-${outcome}`}>{OUTCOME_LABELS[outcome]}</span>;
}
