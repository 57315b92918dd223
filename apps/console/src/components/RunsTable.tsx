import type { TSyncRun } from '@upsync/client';
import { formatDuration, formatInstant, proposalKey } from '../format.js';
import { proposalHref, runHref } from '../routes.js';
import { OutcomeBadge } from './OutcomeBadge.js';

/** One row per run, newest first: when, which proposal, who, what came of it, how long. */
export function RunsTable({ runs }: { runs: TSyncRun[] }) {
  if (runs.length === 0) return <p>No run matches these filters.</p>;
  return (
    <table class="runs">
      <caption class="visually-hidden">Sync runs, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Started</th>
          <th scope="col">Proposal</th>
          <th scope="col">Principal</th>
          <th scope="col">Outcome</th>
          <th scope="col" class="num">
            Duration
          </th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => {
          const key = proposalKey(run);
          return (
            <tr key={run.id}>
              <td>
                <a href={runHref(run.id)}>#{run.id}</a>
                {run.replayOf !== null && <span class="muted"> (replay of #{run.replayOf})</span>}
              </td>
              <td>{formatInstant(run.startedAt)}</td>
              <td>
                {key && run.proposalCode && run.proposalNumber ? (
                  <a href={proposalHref(run.proposalCode, run.proposalNumber)}>{key}</a>
                ) : (
                  '–'
                )}
              </td>
              <td>{run.principal}</td>
              <td>
                <OutcomeBadge outcome={run.outcomeClass} />
              </td>
              <td class="num">{formatDuration(run.durationMs)}</td>
              <td>{run.errorCode ? <code>{run.errorCode}</code> : ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
