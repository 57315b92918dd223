import { parseSyncProposal } from '@upsync/schema';
import { discoverFiles } from './discover.js';
import { type CliIo, EXIT, writeLine } from './io.js';
import { entryPrefix, joinPath, loadPayloadFile } from './load-payloads.js';

export interface ValidateOptions {
  /** Unknown keys: refuse them (default) or accept them with a warning, as the server's option does. */
  unknownKeys?: 'reject' | 'strip';
}

/**
 * `upsync validate`: checks every payload offline against the default ISPyB column limits.
 * Prints `file: path: message` for each problem; exit 1 when any file is invalid.
 */
export async function validateCommand(
  inputs: string[],
  options: ValidateOptions,
  io: CliIo,
): Promise<number> {
  const files = await discoverFiles(inputs, io.cwd);
  let invalidFiles = 0;
  let payloads = 0;
  for (const file of files) {
    const loaded = await loadPayloadFile(file, io.cwd);
    if ('error' in loaded) {
      invalidFiles++;
      writeLine(io.stdout, `${file}: ${joinPath('', '')}: ${loaded.error}`);
      continue;
    }
    let fileValid = true;
    for (const entry of loaded.entries) {
      payloads++;
      const prefix = entryPrefix(entry);
      const parsed = parseSyncProposal(entry.payload, { unknownKeys: options.unknownKeys ?? 'reject' });
      if (parsed.success) {
        for (const warning of parsed.warnings) {
          writeLine(io.stdout, `${file}: ${joinPath(prefix, warning.path)}: warning: ${warning.message}`);
        }
        continue;
      }
      fileValid = false;
      for (const issue of parsed.errors) {
        writeLine(io.stdout, `${file}: ${joinPath(prefix, issue.path)}: ${issue.message}`);
      }
    }
    if (!fileValid) invalidFiles++;
  }
  const verdict = invalidFiles === 0 ? 'all valid' : `${invalidFiles} invalid`;
  writeLine(io.stderr, `${files.length} file(s), ${payloads} payload(s) checked: ${verdict}`);
  return invalidFiles === 0 ? EXIT.ok : EXIT.failed;
}
