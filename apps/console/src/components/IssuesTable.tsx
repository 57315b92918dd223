/** Field-path problems (validation issues, warnings) exactly as the API gave them. */
export function IssuesTable({
  issues,
  caption,
}: {
  issues: { path: string; message: string; code?: string }[];
  caption: string;
}) {
  return (
    <table class="issues">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field path</th>
          <th scope="col">Message</th>
          <th scope="col">Code</th>
        </tr>
      </thead>
      <tbody>
        {issues.map((issue, i) => (
          <tr key={i}>
            <td>
              <code class="field-path">{issue.path || '(payload)'}</code>
            </td>
            <td>{issue.message}</td>
            <td>{issue.code ? <code>{issue.code}</code> : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
