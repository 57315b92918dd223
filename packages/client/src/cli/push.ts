import type { TSyncProposalInput } from '@upsync/schema';
import { createUpsyncClient } from '../client.js';
import { UpsyncAuthError, UpsyncNotFoundError, UpsyncUnavailableError } from '../errors.js';
import { discoverFiles } from './discover.js';
import { type CliIo, EXIT, UsageError, writeLine } from './io.js';
import { loadPayloadFile, type PayloadEntry } from './load-payloads.js';
import { outcomeError, type PayloadOutcome, proposalLabel } from './outcome.js';
import { runPool } from './pool.js';
import { createProgress } from './progress.js';
import { renderSummary } from './summary.js';

export interface PushOptions {
  url?: string;
  token?: string;
  concurrency: number;
  dryRun?: boolean;
  reconcile?: boolean;
  json?: boolean;
  retries: number;
  timeoutMs: number;
}

/** One file's results in `--json` output. */
export interface FileReport {
  file: string;
  ok: boolean;
  /** Why the file could not be read or parsed; then `payloads` is empty. */
  error?: { code: string; message: string };
  payloads: Array<Omit<PayloadOutcome, 'file'>>;
}

/**
 * `upsync push`: sends every payload of the given files, `concurrency` at a time. Stops early when
 * the server is unreachable or refuses the token (every further payload would fail alike).
 */
export async function pushCommand(inputs: string[], options: PushOptions, io: CliIo): Promise<number> {
  const url = options.url ?? io.env.UPSYNC_URL;
  if (!url) throw new UsageError('no server: pass --url or set UPSYNC_URL');
  const token = options.token ?? io.env.UPSYNC_TOKEN;
  const files = await discoverFiles(inputs, io.cwd);
  // A bounded number of files open at once: folders of many thousand files must not hit EMFILE.
  const loaded = (await runPool(files, 16, (file) => loadPayloadFile(file, io.cwd))).map((slot) =>
    slot.status === 'done' ? slot.value : { file: '', error: 'not read' },
  );
  const entries: PayloadEntry[] = loaded.flatMap((file) => ('entries' in file ? file.entries : []));
  const unreadable = loaded.filter((file) => 'error' in file);

  const progress = createProgress(io);
  const client = createUpsyncClient({
    url,
    token,
    retries: options.retries,
    timeoutMs: options.timeoutMs,
    onRetry: (event) => progress.note(`retry ${event.attempt} in ${event.delayMs} ms (${event.reason})`),
  });
  let fatal: Error | undefined;
  progress.start(entries.length);
  const pooled = await runPool(
    entries,
    options.concurrency,
    async (entry): Promise<PayloadOutcome> => {
      const base = { file: entry.file, index: entry.index, proposal: proposalLabel(entry.payload) };
      let outcome: PayloadOutcome;
      try {
        const result = await client.syncProposal(entry.payload as TSyncProposalInput, {
          dryRun: options.dryRun,
          reconcile: options.reconcile,
        });
        outcome = { ...base, ok: true, result };
      } catch (error) {
        if (isFatal(error)) fatal ??= error;
        outcome = { ...base, ok: false, error: outcomeError(error) };
      }
      progress.done(outcome);
      return outcome;
    },
    () => fatal !== undefined,
  );
  progress.stop();

  const outcomes: PayloadOutcome[] = pooled.map((slot, i) => {
    if (slot.status === 'done') return slot.value;
    const entry = entries[i] as PayloadEntry;
    const message = 'not pushed: the run stopped after the error above';
    return {
      file: entry.file,
      index: entry.index,
      proposal: proposalLabel(entry.payload),
      ok: false,
      error: { code: 'NOT_ATTEMPTED', message },
    };
  });
  const skipped = pooled.filter((slot) => slot.status === 'skipped').length;
  const failures = outcomes.filter((outcome) => !outcome.ok).length + unreadable.length;

  if (options.json) {
    writeLine(io.stdout, JSON.stringify(fileReports(files, loaded, outcomes), null, 2));
  } else {
    for (const file of unreadable) {
      if ('error' in file) writeLine(io.stdout, `${file.file}: ${file.error}`);
    }
    writeLine(io.stdout, renderSummary(outcomes, options.dryRun ?? false));
  }
  if (fatal) {
    writeLine(io.stderr, `upsync push: ${fatal.message}`);
    if (skipped > 0) writeLine(io.stderr, `upsync push: stopped; ${skipped} payload(s) were not pushed`);
  }
  return failures > 0 ? EXIT.failed : EXIT.ok;
}

/** Errors that every later payload would hit too. */
function isFatal(error: unknown): error is Error {
  return (
    error instanceof UpsyncUnavailableError ||
    error instanceof UpsyncAuthError ||
    error instanceof UpsyncNotFoundError
  );
}

function fileReports(
  files: string[],
  loaded: Awaited<ReturnType<typeof loadPayloadFile>>[],
  outcomes: PayloadOutcome[],
): FileReport[] {
  const byFile = new Map<string, FileReport['payloads']>();
  for (const { file, ...rest } of outcomes) {
    const list = byFile.get(file) ?? [];
    list.push(rest);
    byFile.set(file, list);
  }
  return files.map((file, i) => {
    const read = loaded[i];
    if (read && 'error' in read) {
      return { file, ok: false, error: { code: 'UNREADABLE', message: read.error }, payloads: [] };
    }
    const payloads = byFile.get(file) ?? [];
    return { file, ok: payloads.every((payload) => payload.ok), payloads };
  });
}
