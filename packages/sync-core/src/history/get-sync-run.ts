import type { TSyncRun } from '@upsync/schema';
import type { UpsyncOrm } from '../orm/internals.js';
import { validationFailed } from '../sync-error.js';
import { proposalKeyOf } from './sync-run-record.js';
import { readHistory, toRun } from './sync-run-row.js';

/** One recorded run, its payload included when it was stored; null when there is none. Throws SyncError. */
export async function getSyncRun(orm: UpsyncOrm, id: number): Promise<TSyncRun | null> {
  const [row] = await readHistory(orm, 'SELECT * FROM upsync_sync_run WHERE id = ?', [id]);
  return row ? toRun(row) : null;
}

/**
 * Checks the `replayOf` of a sync before it runs: the run must exist and be of the proposal the
 * payload names (a link to another proposal's run would mislead whoever reads the history).
 * Its payload need not be stored, nor equal this one: the history's payloadSha256 shows whether it is.
 * Throws SyncError VALIDATION_FAILED on `replayOf`.
 */
export async function checkReplayOf(orm: UpsyncOrm, replayOf: number, payload: unknown): Promise<void> {
  const [row] = await readHistory(
    orm,
    'SELECT proposalCode, proposalNumber FROM upsync_sync_run WHERE id = ?',
    [replayOf],
  );
  const refuse = (message: string) =>
    validationFailed([{ path: 'replayOf', message, code: 'invalid_replay' }]);
  if (!row) throw refuse(`no recorded sync run ${replayOf}`);
  const key = proposalKeyOf(payload);
  const was = `${row.proposalCode}-${row.proposalNumber}`;
  const now = key && `${key.proposalCode}-${key.proposalNumber}`;
  // compared as the history's columns compare them: case-insensitively
  if (row.proposalCode != null && now && was.toLowerCase() !== now.toLowerCase()) {
    throw refuse(`run ${replayOf} synced ${was}, not ${now}`);
  }
}
