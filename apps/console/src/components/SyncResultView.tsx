import type { TSyncResult } from '@upsync/client';
import { formatDuration } from '../format.js';
import { EntityCounts } from './EntityCounts.js';
import { IssuesTable } from './IssuesTable.js';

/** A replay's answer: the server's sentence, the counts, and each row it would write or wrote. */
export function SyncResultView({ result }: { result: TSyncResult }) {
  const written = Object.entries(result.entities).flatMap(([kind, rows]) =>
    rows.filter((r) => r.outcome !== 'unchanged').map((r) => ({ kind, ...r })),
  );
  return (
    <div class="result">
      <p>
        <strong>{result.dryRun ? 'Dry run: ' : 'Synced: '}</strong>
        {result.message} ({formatDuration(result.elapsedMs)})
      </p>
      {written.length === 0 ? (
        <p>
          {result.dryRun
            ? 'A sync now would change nothing.'
            : 'Nothing was written: ISPyB already held this.'}
        </p>
      ) : (
        <table>
          <caption>{result.dryRun ? 'What a sync now would write' : 'What was written'}</caption>
          <thead>
            <tr>
              <th scope="col">Entity kind</th>
              <th scope="col">Payload path</th>
              <th scope="col">Outcome</th>
              <th scope="col">Changed fields</th>
            </tr>
          </thead>
          <tbody>
            {written.map((row) => (
              <tr key={`${row.kind}${row.path}${row.id}`}>
                <td>{row.kind}</td>
                <td>
                  <code>{row.path || '(derived)'}</code>
                </td>
                <td>{row.outcome}</td>
                <td>{row.changedFields?.join(', ') ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <EntityCounts summary={result.summary} caption="Rows per entity kind" />
      {result.warnings.length > 0 && <IssuesTable issues={result.warnings} caption="Warnings" />}
    </div>
  );
}
