import type { TSyncRun } from '@upsync/client';

/** `2026-12-06T06:30:12.345Z` → `2026-12-06 06:30:12 UTC`: the history's instants, in UTC as stored. */
export function formatInstant(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** The labels of the server's outcome classes (`outcomeClass` of a run, the keys of syncStats' counts). */
export const OUTCOME_LABELS = {
  changed: 'changed',
  unchanged: 'unchanged',
  failed: 'failed',
  dryRun: 'dry run',
} as const;

export type OutcomeClass = keyof typeof OUTCOME_LABELS;

export const proposalKey = (run: Pick<TSyncRun, 'proposalCode' | 'proposalNumber'>) =>
  run.proposalCode && run.proposalNumber ? `${run.proposalCode}-${run.proposalNumber}` : null;

/** Stable JSON for display: a value as the API gave it, indented. */
export const showJson = (value: unknown) => JSON.stringify(value, null, 2);
