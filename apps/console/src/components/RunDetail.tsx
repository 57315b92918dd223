import type { TSyncRun } from '@upsync/client';
import { formatDuration, formatInstant } from '../format.js';
import { proposalHref, runHref } from '../routes.js';
import { EntityCounts } from './EntityCounts.js';
import { IssuesTable } from './IssuesTable.js';
import { JsonBlock } from './JsonBlock.js';
import { OutcomeBadge } from './OutcomeBadge.js';

/** A field a newer server may add to a run (every issue of a failure): shown when present. */
type RunWithExtras = TSyncRun & {
  issues?: { path: string; message: string; code?: string }[];
};

/** Everything the history holds about one run: facts, counts, warnings, the failure, the payload. */
export function RunDetail({ run }: { run: RunWithExtras }) {
  const failure = run.outcome === 'failed';
  const issues =
    run.issues && run.issues.length > 0
      ? run.issues
      : failure
        ? [{ path: run.errorPath ?? '', message: run.errorDetail ?? '', code: run.errorCode }]
        : [];
  return (
    <>
      <dl class="facts">
        <dt>Outcome</dt>
        <dd>
          <OutcomeBadge outcome={run.outcomeClass} />
          {run.dryRun && run.outcomeClass === 'failed' ? ' (a dry run)' : ''}
        </dd>
        <dt>Started</dt>
        <dd>{formatInstant(run.startedAt)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(run.durationMs)}</dd>
        <dt>Principal</dt>
        <dd>{run.principal}</dd>
        <dt>Request id</dt>
        <dd>
          {run.requestId ? (
            <code>{run.requestId}</code>
          ) : (
            <span class="muted">not recorded (a run written before upsync recorded it)</span>
          )}
        </dd>
        <dt>Proposal</dt>
        <dd>
          {run.proposalCode && run.proposalNumber ? (
            <a href={proposalHref(run.proposalCode, run.proposalNumber)}>
              {run.proposalCode}-{run.proposalNumber}
            </a>
          ) : (
            'not named by the payload'
          )}
        </dd>
        <dt>Reconcile</dt>
        <dd>{run.reconcile ? 'yes' : 'no'}</dd>
        {run.replayOf !== null && (
          <>
            <dt>Replay of</dt>
            <dd>
              <a href={runHref(run.replayOf)}>run #{run.replayOf}</a>
            </dd>
          </>
        )}
        <dt>Payload SHA-256</dt>
        <dd>
          <code class="hash">{run.payloadSha256}</code>
        </dd>
      </dl>

      {failure && (
        <section aria-labelledby="failure-heading">
          <h2 id="failure-heading">Failure{run.errorCode ? `: ${run.errorCode}` : ''}</h2>
          <IssuesTable issues={issues} caption="What the server refused, by field path" />
        </section>
      )}
      {run.summary && <EntityCounts summary={run.summary} caption="Rows per entity kind" />}
      {run.warnings.length > 0 && <IssuesTable issues={run.warnings} caption="Warnings" />}
      <section aria-labelledby="payload-heading">
        <h2 id="payload-heading">Payload</h2>
        {run.payload !== undefined ? (
          <JsonBlock value={run.payload} label="Payload of this run" />
        ) : (
          <p>
            Not stored: this server keeps payloads only with <code>UPSYNC_HISTORY_PAYLOADS=true</code>.
          </p>
        )}
      </section>
    </>
  );
}
