/** Where the CLI reads its environment and writes its output; injectable so tests run it in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  /** True when stderr is a terminal: a progress bar instead of one line per payload. */
  isTTY: boolean;
  cwd: string;
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}

/** Writes one line. */
export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}

/** Exit codes: 0 everything passed, 1 a payload failed or is invalid, 2 the command line is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A problem with the command line or its inputs (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}
