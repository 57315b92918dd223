import { createHash } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { ZEntityKind } from '@upsync/schema';

/**
 * `rows` rows written straight into upsync's own history table of an embedded database file
 * (one transaction), newest now, one every 6 s back in time (7 days for 100,000): a mix of
 * changed, unchanged, dry runs and failures of two principals over 5,000 proposals.
 */
export function seedHistoryRows(file: string, rows: number): void {
  const db = new DatabaseSync(file);
  const insert = db.prepare(
    `INSERT INTO upsync_sync_run (startedAt, principal, proposalCode, proposalNumber, dryRun, reconcile,
       outcome, outcomeClass, errorCode, errorDetail, errorPath, summary, warnings, durationMs, payloadSha256)
     VALUES (?, ?, 'MX', ?, ?, 0, ?, ?, ?, ?, ?, ?, '[]', ?, ?)`,
  );
  // every entity kind, as sync-core records a result's summary (the API's output schema wants them all)
  const summary = (created: number) =>
    JSON.stringify(
      Object.fromEntries(
        ZEntityKind.options.map((kind) => [
          kind,
          { created: kind === 'proposal' ? created : 0, updated: 0, unchanged: 1, deleted: 0 },
        ]),
      ),
    );
  const now = Date.now();
  db.exec('BEGIN');
  try {
    for (let i = 0; i < rows; i++) {
      const kind = i % 50 === 0 ? 'failed' : i % 10 === 0 ? 'dryRun' : i % 3 === 0 ? 'changed' : 'unchanged';
      const failed = kind === 'failed';
      insert.run(
        new Date(now - i * 6_000).toISOString(),
        i % 2 ? 'portal' : 'nightly',
        String(i % 5_000),
        kind === 'dryRun' ? 1 : 0,
        failed ? 'failed' : 'succeeded',
        kind,
        failed ? (i % 100 === 0 ? 'VALIDATION_FAILED' : 'IDENTITY_CONFLICT') : null,
        failed ? 'Invalid payload' : null,
        failed ? 'sessions[0].startDate' : null,
        failed ? null : summary(kind === 'changed' ? 1 : 0),
        5 + (i % 97),
        createHash('sha256').update(String(i)).digest('hex'),
      );
    }
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}
