import type { TSyncResult, TSyncRun } from '@upsync/client';
import { UpsyncValidationError } from '@upsync/client';
import { useState } from 'preact/hooks';
import { describeError } from '../errors.js';
import { runsHref } from '../routes.js';
import { useSession } from '../session.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { IssuesTable } from './IssuesTable.js';
import { SyncResultView } from './SyncResultView.js';

type Attempt =
  | { state: 'idle' }
  | { state: 'running'; dryRun: boolean }
  | { state: 'done'; result: TSyncResult }
  | { state: 'failed'; error: unknown };

/**
 * Replays a run's stored payload: "dry run now" (what a sync would change today) or, after a
 * confirmation, "sync again". Both send `replayOf`, so the new history row names the run it
 * replays and the token that did it. Needs the `sync` scope; the server says when it is missing.
 */
export function ReplayPanel({ run }: { run: TSyncRun }) {
  const { client } = useSession();
  const [attempt, setAttempt] = useState<Attempt>({ state: 'idle' });
  const [confirming, setConfirming] = useState(false);
  const key = `${run.proposalCode}-${run.proposalNumber}`;

  async function replay(dryRun: boolean) {
    setConfirming(false);
    setAttempt({ state: 'running', dryRun });
    try {
      const result = await client.syncProposal(run.payload as never, { dryRun, replayOf: run.id });
      setAttempt({ state: 'done', result });
    } catch (error) {
      setAttempt({ state: 'failed', error });
    }
  }

  const running = attempt.state === 'running';
  return (
    <section aria-labelledby="replay-heading" class="replay">
      <h2 id="replay-heading">Replay</h2>
      <p>Send this run's stored payload again, as it is, to ISPyB as it is today.</p>
      <div class="actions">
        <button type="button" disabled={running} onClick={() => replay(true)}>
          Dry run now
        </button>
        <button type="button" class="danger" disabled={running} onClick={() => setConfirming(true)}>
          Sync again…
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Sync ${key} again?`}
        confirmLabel="Sync now"
        onConfirm={() => replay(false)}
        onCancel={() => setConfirming(false)}
      >
        <p>
          This writes run #{run.id}'s payload to ISPyB now. The new run is recorded as a replay of #{run.id}{' '}
          under your token's name.
        </p>
      </ConfirmDialog>
      <div aria-live="polite">
        {running && <p>{attempt.dryRun ? 'Dry run in progress…' : 'Syncing…'}</p>}
        {attempt.state === 'done' && (
          <>
            <SyncResultView result={attempt.result} />
            {!attempt.result.dryRun && (
              <p>
                Recorded as a new run: see the <a href={runsHref({ proposal: key })}>runs of {key}</a>.
              </p>
            )}
          </>
        )}
        {attempt.state === 'failed' && (
          <div role="alert">
            <p class="error">{describeError(attempt.error, 'Replaying')}</p>
            {attempt.error instanceof UpsyncValidationError && attempt.error.issues.length > 0 && (
              <IssuesTable issues={attempt.error.issues} caption="What the server refused, by field path" />
            )}
          </div>
        )}
      </div>
    </section>
  );
}
