import cliProgress from 'cli-progress';
import { type CliIo, writeLine } from './io.js';
import { entryName, firstError, type PayloadOutcome } from './outcome.js';

/** Reports each finished payload: a bar on a terminal, one line each otherwise. */
export interface Progress {
  start(total: number): void;
  done(outcome: PayloadOutcome): void;
  /** A message between updates (retries); not shown under a bar. */
  note(message: string): void;
  stop(): void;
}

/** The progress display that fits the output: a bar on a TTY, plain lines for logs and pipes. */
export function createProgress(io: CliIo): Progress {
  return io.isTTY ? barProgress(io) : lineProgress(io);
}

function barProgress(io: CliIo): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: 'pushing {bar} {value}/{total} payloads | {failed} failed | ETA {eta_formatted}',
      stream: io.stderr,
      hideCursor: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let failed = 0;
  return {
    start: (total) => bar.start(total, 0, { failed }),
    done: (outcome) => {
      if (!outcome.ok) failed++;
      bar.increment(1, { failed });
    },
    note: () => undefined,
    stop: () => bar.stop(),
  };
}

function lineProgress(io: CliIo): Progress {
  let total = 0;
  let count = 0;
  return {
    start: (n) => {
      total = n;
    },
    done: (outcome) => {
      count++;
      writeLine(io.stderr, `[${count}/${total}] ${entryName(outcome)}: ${describe(outcome)}`);
    },
    note: (message) => writeLine(io.stderr, message),
    stop: () => undefined,
  };
}

function describe(outcome: PayloadOutcome): string {
  const label = outcome.proposal ?? 'payload';
  if (!outcome.ok || !outcome.result) {
    return `${label} FAILED ${outcome.error?.code ?? ''}: ${outcome.error ? firstError(outcome.error) : ''}`;
  }
  const counts = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
  for (const kind of Object.values(outcome.result.summary)) {
    counts.created += kind.created;
    counts.updated += kind.updated;
    counts.unchanged += kind.unchanged;
    counts.deleted += kind.deleted;
  }
  const dry = outcome.result.dryRun ? ' (dry run)' : '';
  return `${label} ok${dry}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged${
    counts.deleted ? `, ${counts.deleted} deleted` : ''
  }`;
}
