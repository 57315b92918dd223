import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/program.js';

/** Runs the CLI in-process with captured output. */
export async function cli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; isTTY?: boolean } = {},
) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const code = await runCli(args, {
    stdout,
    stderr,
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout: out, stderr: err };
}
