import type { TSyncBatchItem, TSyncBatchResult, TSyncErrorCode } from '@upsync/schema';
import { describeError } from './errors/describe-error.js';
import type { CallerInfo, SyncCallOptions, SyncService } from './trpc/context.js';

/** Syncs payloads one after another, each in its own transaction; a failure never stops the rest. */
export async function runBatch(
  services: SyncService,
  payloads: readonly unknown[],
  options: SyncCallOptions & { caller: CallerInfo },
): Promise<TSyncBatchResult> {
  const results: TSyncBatchItem[] = [];
  for (const [index, payload] of payloads.entries()) {
    try {
      const result = await services.sync(payload, options, options.caller);
      results.push({ index, ok: true, result });
    } catch (error) {
      const { issues, code, ...rest } = describeError(error, options.caller.requestId);
      results.push({
        index,
        ok: false,
        error: { ...rest, code: code as TSyncErrorCode, ...(issues && { errors: issues }) },
      });
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
