import Table from 'cli-table3';
import { entryName, firstError, type PayloadOutcome } from './outcome.js';

type Counts = { created: number; updated: number; unchanged: number; deleted: number };

/** Outcome counts per entity kind, added up over the successful payloads. */
export function totalsByKind(outcomes: readonly PayloadOutcome[]): Map<string, Counts> {
  const totals = new Map<string, Counts>();
  for (const outcome of outcomes) {
    if (!outcome.result) continue;
    for (const [kind, counts] of Object.entries(outcome.result.summary)) {
      const total = totals.get(kind) ?? { created: 0, updated: 0, unchanged: 0, deleted: 0 };
      total.created += counts.created;
      total.updated += counts.updated;
      total.unchanged += counts.unchanged;
      total.deleted += counts.deleted;
      totals.set(kind, total);
    }
  }
  return totals;
}

const PLAIN = { head: [] as string[], border: [] as string[] };

/** The end-of-run report: a table of outcomes per entity kind, then the failures with their first error. */
export function renderSummary(outcomes: readonly PayloadOutcome[], dryRun: boolean): string {
  const kinds = new Table({ head: ['entity', 'created', 'updated', 'unchanged', 'deleted'], style: PLAIN });
  for (const [kind, counts] of totalsByKind(outcomes)) {
    kinds.push([kind, counts.created, counts.updated, counts.unchanged, counts.deleted]);
  }
  const failed = outcomes.filter((outcome) => !outcome.ok);
  const parts = kinds.length > 0 ? [kinds.toString()] : [];
  if (failed.length > 0) {
    const failures = new Table({
      head: ['failed', 'proposal', 'first error'],
      style: PLAIN,
      colWidths: [null, null, 70],
      wordWrap: true,
    });
    for (const outcome of failed) {
      const error = outcome.error ? `${outcome.error.code}: ${firstError(outcome.error)}` : 'unknown error';
      failures.push([entryName(outcome), outcome.proposal ?? '', error]);
    }
    parts.push(failures.toString());
  }
  const ok = outcomes.length - failed.length;
  const files = new Set(outcomes.map((outcome) => outcome.file)).size;
  const failedFiles = new Set(failed.map((outcome) => outcome.file)).size;
  parts.push(
    `${outcomes.length} payload(s) in ${files} file(s)${dryRun ? ' (dry run, nothing written)' : ''}: ` +
      `${ok} ok, ${failed.length} failed${failed.length ? ` (${failedFiles} file(s))` : ''}`,
  );
  return parts.join('\n');
}
