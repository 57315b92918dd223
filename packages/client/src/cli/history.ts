import type { TSyncRun, TSyncRunQueryInput } from '@upsync/schema';
import Table from 'cli-table3';
import type { UpsyncClient } from '../types.js';
import { type CliIo, EXIT, UsageError, writeLine } from './io.js';

export interface HistoryOptions {
  outcome?: 'succeeded' | 'failed';
  limit: number;
  cursor?: string;
  json?: boolean;
}

const PLAIN = { head: [] as string[], border: [] as string[] };

/** `created 2, updated 1` over every entity kind; `no change` when nothing was written. */
function changesOf(run: TSyncRun): string {
  if (!run.summary) return '';
  const total = { created: 0, updated: 0, deleted: 0 };
  for (const counts of Object.values(run.summary)) {
    total.created += counts.created;
    total.updated += counts.updated;
    total.deleted += counts.deleted;
  }
  const parts = Object.entries(total)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${outcome} ${n}`);
  return parts.length > 0 ? parts.join(', ') : 'no change';
}

/** The runs as a table: newest first, one line each. */
export function renderRuns(runs: readonly TSyncRun[]): string {
  const table = new Table({
    head: ['id', 'started (UTC)', 'by', 'mode', 'outcome', 'changes', 'warnings', 'error', 'ms'],
    style: PLAIN,
    colWidths: [null, null, null, null, null, null, null, 50, null],
    wordWrap: true,
  });
  for (const run of runs) {
    table.push([
      run.id,
      run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ''),
      run.principal,
      run.dryRun ? 'dry run' : run.reconcile ? 'reconcile' : 'sync',
      run.outcome,
      changesOf(run),
      run.warnings.length,
      run.errorCode
        ? `${run.errorCode}${run.errorPath ? ` at ${run.errorPath}` : ''}: ${run.errorDetail ?? ''}`
        : '',
      Math.round(run.durationMs),
    ]);
  }
  return table.toString();
}

/** `upsync history MX-3456`: the proposal's sync history, newest first. */
export async function historyCommand(
  proposal: string,
  client: UpsyncClient,
  options: HistoryOptions,
  io: CliIo,
): Promise<number> {
  if (!/^[^-]+-.+$/.test(proposal)) throw new UsageError('the proposal must be CODE-NUMBER, such as MX-3456');
  const query: TSyncRunQueryInput = { proposal, limit: options.limit };
  if (options.outcome) query.outcome = options.outcome;
  if (options.cursor) query.cursor = options.cursor;
  const page = await client.syncRuns(query);
  if (options.json) {
    writeLine(io.stdout, JSON.stringify(page, null, 2));
    return EXIT.ok;
  }
  if (page.runs.length === 0) {
    writeLine(io.stdout, `no recorded syncs of ${proposal}${options.outcome ? ` (${options.outcome})` : ''}`);
    return EXIT.ok;
  }
  writeLine(io.stdout, renderRuns(page.runs));
  if (page.nextCursor)
    writeLine(io.stdout, `older runs: upsync history ${proposal} --cursor ${page.nextCursor}`);
  return EXIT.ok;
}
