// Commands are imported when run: `upsync push` does not load the schema validator, and the reverse.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createUpsyncClient } from '../client.js';
import { UpsyncError } from '../errors.js';
import { CLIENT_VERSION as VERSION } from '../version.js';
import { type CliIo, EXIT, UsageError, writeLine } from './io.js';

function positiveInt(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
    return n;
  };
}

/** The `upsync` command line; each action stores its exit code in `exit.code`. */
function buildProgram(io: CliIo, exit: { code: number }): Command {
  const program = new Command('upsync')
    .description('Validate and push User Portal payloads to an upsync server (ISPyB).')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  program
    .command('validate')
    .description('check payload files offline against the payload schema (exit 1 when any is invalid)')
    .argument('<paths...>', 'JSON files, or folders searched recursively for *.json')
    .addOption(
      new Option('--unknown-keys <mode>', 'refuse unknown keys, or strip them with a warning')
        .choices(['reject', 'strip'])
        .default('reject'),
    )
    .action(async (paths: string[], opts: { unknownKeys: 'reject' | 'strip' }) => {
      const { validateCommand } = await import('./validate.js');
      exit.code = await validateCommand(paths, opts, io);
    });

  program
    .command('push')
    .description('sync every payload of the given files (one payload or an array per file)')
    .argument('<paths...>', 'JSON files, or folders searched recursively for *.json')
    .option('--url <url>', 'server base URL (default: $UPSYNC_URL)')
    .option('--token <token>', 'bearer token (default: $UPSYNC_TOKEN; prefer the variable)')
    .option('-c, --concurrency <n>', 'payloads in flight at once', positiveInt('--concurrency', 1), 4)
    .option('--dry-run', 'report what would change, write nothing')
    .option('--reconcile', 'also remove participants the payloads no longer list')
    .option('--json', 'print machine-readable results (one entry per file) on stdout')
    .option('--retries <n>', 'retries of network errors and 503s', positiveInt('--retries', 0), 3)
    .option('--timeout <ms>', 'per request', positiveInt('--timeout', 1), 60_000)
    .action(async (paths: string[], opts: Record<string, unknown>) => {
      const { pushCommand } = await import('./push.js');
      exit.code = await pushCommand(
        paths,
        {
          url: opts.url as string | undefined,
          token: opts.token as string | undefined,
          concurrency: opts.concurrency as number,
          dryRun: Boolean(opts.dryRun),
          reconcile: Boolean(opts.reconcile),
          json: Boolean(opts.json),
          retries: opts.retries as number,
          timeoutMs: opts.timeout as number,
        },
        io,
      );
    });

  program
    .command('schema')
    .description("print the payload's JSON Schema (offline, or the server's with --url)")
    .option('--url <url>', "fetch the server's schema instead of the built-in one")
    .option('--token <token>', 'bearer token (default: $UPSYNC_TOKEN)')
    .action(async (opts: { url?: string; token?: string }) => {
      const client = opts.url
        ? createUpsyncClient({ url: opts.url, token: opts.token ?? io.env.UPSYNC_TOKEN })
        : undefined;
      const { schemaCommand } = await import('./schema-command.js');
      exit.code = await schemaCommand(client, io);
    });

  const serverClient = (opts: { url?: string; token?: string }) => {
    const url = opts.url ?? io.env.UPSYNC_URL;
    if (!url) throw new UsageError('no server: pass --url or set UPSYNC_URL');
    return createUpsyncClient({ url, token: opts.token ?? io.env.UPSYNC_TOKEN });
  };

  program
    .command('history')
    .description("a proposal's sync history on the server, newest first")
    .argument('<proposal>', 'CODE-NUMBER, such as MX-3456')
    .option('--url <url>', 'server base URL (default: $UPSYNC_URL)')
    .option('--token <token>', 'bearer token (default: $UPSYNC_TOKEN; prefer the variable)')
    .addOption(new Option('--outcome <outcome>', 'only these runs').choices(['succeeded', 'failed']))
    .option('--limit <n>', 'runs to show (1-200)', positiveInt('--limit', 1), 20)
    .option('--cursor <cursor>', 'continue after a previous page (printed under the table)')
    .option('--json', 'print the page as JSON')
    .action(async (proposal: string, opts: Record<string, unknown>) => {
      const { historyCommand } = await import('./history.js');
      exit.code = await historyCommand(
        proposal,
        serverClient(opts),
        {
          outcome: opts.outcome as 'succeeded' | 'failed' | undefined,
          limit: Math.min(opts.limit as number, 200),
          cursor: opts.cursor as string | undefined,
          json: Boolean(opts.json),
        },
        io,
      );
    });

  program
    .command('diff')
    .description('show, field by field, what pushing a payload file would change (a dry run: writes nothing)')
    .argument('<file>', 'a JSON file with one payload (or an array of payloads)')
    .option('--url <url>', 'server base URL (default: $UPSYNC_URL)')
    .option('--token <token>', 'bearer token (default: $UPSYNC_TOKEN; prefer the variable)')
    .option('--reconcile', 'also show the participants a reconciling push would remove')
    .option('--json', 'print the changes as JSON')
    .action(async (file: string, opts: Record<string, unknown>) => {
      const { diffCommand } = await import('./diff.js');
      exit.code = await diffCommand(
        file,
        serverClient(opts),
        { json: Boolean(opts.json), reconcile: Boolean(opts.reconcile) },
        io,
      );
    });

  return program;
}

/** Runs the CLI with `args` (without `node` and the script) and returns the exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const exit = { code: EXIT.ok as number };
  const program = buildProgram(io, exit);
  try {
    await program.parseAsync(args, { from: 'user' });
    return exit.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version "fail" with exit code 0; every other parse failure is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      writeLine(io.stderr, `upsync: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof UpsyncError) {
      writeLine(io.stderr, `upsync: ${error.message}${error.code ? ` (${error.code})` : ''}`);
      return EXIT.failed;
    }
    throw error;
  }
}
