import type { TSyncStats } from '@upsync/client';

/** The error codes that occur most among the range's failed runs. */
export function FailureCodes({ codes }: { codes: TSyncStats['failureCodes'] }) {
  if (codes.length === 0) return <p>No failed sync in this range.</p>;
  return (
    <table>
      <caption>Most frequent failure codes</caption>
      <thead>
        <tr>
          <th scope="col">Error code</th>
          <th scope="col" class="num">
            Failed runs
          </th>
        </tr>
      </thead>
      <tbody>
        {codes.map((c) => (
          <tr key={c.code}>
            <td>
              <code>{c.code}</code>
            </td>
            <td class="num">{c.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
