import { setImmediate as nextTurn } from 'node:timers/promises';
import type { TSyncBatchItem, TSyncBatchResult } from '@upsync/schema';
import { notStarted, syncErrorBody } from './errors/sync-error-body.js';
import type { CallerInfo, SyncCallOptions, SyncService } from './trpc/context.js';

/**
 * Syncs payloads one after another, each in its own transaction; a failure never stops the rest.
 * When `signal` aborts (deadline passed, client gone), no further item starts: the one running
 * commits or rolls back whole, the rest are answered as not attempted (DEADLINE_EXCEEDED).
 */
export async function runBatch(
  services: SyncService,
  payloads: readonly unknown[],
  options: SyncCallOptions & { caller: CallerInfo; signal?: AbortSignal },
): Promise<TSyncBatchResult> {
  const results: TSyncBatchItem[] = [];
  for (const [index, payload] of payloads.entries()) {
    // let timers and socket events run between items: on the embedded SQLite database a sync
    // completes in microtasks only, so the deadline's timer and the client's hang-up would
    // otherwise not be seen before the whole batch had run
    if (index > 0) await nextTurn();
    if (options.signal?.aborted) {
      results.push({ index, ok: false, error: syncErrorBody(notStarted(options.signal, 'Not attempted')) });
      continue;
    }
    try {
      const result = await services.sync(payload, options, options.caller);
      results.push({ index, ok: true, result });
    } catch (error) {
      // the sync service throws SyncErrors only
      results.push({ index, ok: false, error: syncErrorBody(error, options.caller.requestId) });
    }
  }
  const succeeded = results.filter((r) => r.ok).length;
  const failed = results.length - succeeded;
  const verb = options.dryRun ? 'checked (dry run)' : 'synchronized';
  return {
    message: `${succeeded} of ${results.length} proposals ${verb}, ${failed} failed`,
    succeeded,
    failed,
    dryRun: options.dryRun,
    results,
  };
}
