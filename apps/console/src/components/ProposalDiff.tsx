import type { TSyncRunDiff } from '@upsync/client';
import { formatInstant, showJson } from '../format.js';
import { runHref } from '../routes.js';

const shown = (value: unknown) => (value === undefined ? '' : showJson(value));

/** The server's field-level diff between two runs' payloads, one line per change, as it comes. */
export function ProposalDiff({ diff }: { diff: TSyncRunDiff }) {
  return (
    <section aria-labelledby="diff-heading">
      <h2 id="diff-heading">
        Diff: <a href={runHref(diff.from.id)}>run #{diff.from.id}</a> →{' '}
        <a href={runHref(diff.to.id)}>run #{diff.to.id}</a>
      </h2>
      <p class="muted">
        From {formatInstant(diff.from.startedAt)} to {formatInstant(diff.to.startedAt)}: what syncing the
        later payload over the earlier one changes.
      </p>
      {diff.changes.length === 0 ? (
        <p>No difference: both payloads sync to the same rows.</p>
      ) : (
        <table class="diff">
          <caption class="visually-hidden">Field-level changes</caption>
          <thead>
            <tr>
              <th scope="col">Entity kind</th>
              <th scope="col">Payload path</th>
              <th scope="col">Change</th>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {diff.changes.map((c, i) => (
              <tr key={i} class={`change-${c.outcome}`}>
                <td>{c.kind}</td>
                <td>
                  <code>{c.path || '(not in the payload)'}</code>
                </td>
                <td>{c.outcome}</td>
                <td>{c.field ? <code>{c.field}</code> : ''}</td>
                <td>
                  <code class="before">{shown(c.current)}</code>
                </td>
                <td>
                  <code class="after">{shown(c.wanted)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
