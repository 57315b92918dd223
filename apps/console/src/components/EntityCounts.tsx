import type { TSyncResult } from '@upsync/client';

const OUTCOMES = ['created', 'updated', 'unchanged', 'deleted'] as const;

/** Rows per entity kind and outcome, as the result's `summary` counts them. */
export function EntityCounts({ summary, caption }: { summary: TSyncResult['summary']; caption: string }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Entity kind</th>
          {OUTCOMES.map((o) => (
            <th key={o} scope="col" class="num">
              {o}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Object.entries(summary).map(([kind, counts]) => (
          <tr key={kind}>
            <th scope="row">{kind}</th>
            {OUTCOMES.map((o) => (
              <td key={o} class="num">
                {counts[o]}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
