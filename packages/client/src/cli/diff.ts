import type { TProposalSnapshot, TSyncProposalInput } from '@upsync/schema';
import Table from 'cli-table3';
import { UpsyncNotFoundError, UpsyncValidationError } from '../errors.js';
import type { UpsyncClient } from '../types.js';
import { diffChanges, type FieldChange } from './diff-changes.js';
import { type CliIo, EXIT, UsageError, writeLine } from './io.js';
import { loadPayloadFile } from './load-payloads.js';

const PLAIN = { head: [] as string[], border: [] as string[] };

const text = (value: unknown) => (value === undefined ? '' : JSON.stringify(value));

function renderChanges(changes: readonly FieldChange[]): string {
  const table = new Table({
    head: ['entity', 'path', 'id', 'change', 'ISPyB now', 'payload'],
    style: PLAIN,
    colWidths: [null, null, null, null, 36, 36],
    wordWrap: true,
  });
  for (const c of changes) {
    const what = c.outcome === 'updated' ? c.field : c.outcome === 'created' ? '+ new row' : '- row removed';
    table.push([c.kind, c.path, c.id ?? '', what ?? '', text(c.current), text(c.wanted)]);
  }
  return table.toString();
}

/**
 * `upsync diff <file>`: a dry run on the server, then, field by field, what a push would change
 * (old values from the read-back of the proposal, new ones from the file). Writes nothing.
 */
export async function diffCommand(
  file: string,
  client: UpsyncClient,
  options: { json?: boolean; reconcile?: boolean },
  io: CliIo,
): Promise<number> {
  const loaded = await loadPayloadFile(file, io.cwd);
  if ('error' in loaded) throw new UsageError(`${file}: ${loaded.error}`);
  const reports = [];
  let invalid = 0;
  for (const entry of loaded.entries) {
    const payload = entry.payload as TSyncProposalInput;
    const result = await client
      .syncProposal(payload, { dryRun: true, reconcile: options.reconcile })
      .catch((error: unknown) => {
        if (!(error instanceof UpsyncValidationError)) throw error;
        // a payload the server refuses has no diff: say why, like `upsync validate`
        const where = entry.index === null ? file : `${file}[${entry.index}]`;
        for (const issue of error.issues) writeLine(io.stderr, `${where}: ${issue.path}: ${issue.message}`);
        return null;
      });
    if (!result) {
      invalid++;
      continue;
    }
    const { proposalCode, proposalNumber } = result.proposal;
    const snapshot = await client.proposal(proposalCode, proposalNumber).catch((error: unknown) => {
      // a proposal ISPyB does not hold yet: everything is new
      if (error instanceof UpsyncNotFoundError) return null as TProposalSnapshot | null;
      throw error;
    });
    const changes = diffChanges(result, snapshot, payload);
    reports.push({
      file,
      index: entry.index,
      proposal: `${proposalCode}-${proposalNumber}`,
      exists: snapshot !== null,
      changes,
      warnings: result.warnings,
    });
  }
  const code = invalid > 0 ? EXIT.failed : EXIT.ok;
  if (options.json) {
    writeLine(io.stdout, JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
    return code;
  }
  for (const report of reports) {
    const where = report.index === null ? report.file : `${report.file}[${report.index}]`;
    const count = (o: string) => report.changes.filter((c) => c.outcome === o).length;
    const rows = new Set(
      report.changes.filter((c) => c.outcome === 'updated').map((c) => `${c.kind}:${c.id}:${c.path}`),
    ).size;
    writeLine(
      io.stdout,
      `${report.proposal} (${where})${report.exists ? '' : ', not in ISPyB yet'}: ` +
        `${count('created')} row(s) to create, ${rows} to update (${count('updated')} field(s)), ${count('deleted')} to remove`,
    );
    if (report.changes.length === 0) writeLine(io.stdout, 'nothing would change');
    else writeLine(io.stdout, renderChanges(report.changes));
    for (const w of report.warnings) writeLine(io.stdout, `warning: ${w.path}: ${w.message}`);
  }
  return code;
}
