import type { TValidationErrorBody, TValidationIssue } from '@upsync/schema';

/**
 * `sessions[1].persons[0].familyName` → `['sessions', 1, 'persons', 0, 'familyName']` (FastAPI's `loc`).
 * A quoted odd key (`["a.b"]`, see formatPath) is not unquoted: `loc` stays as it has been served.
 */
export function parsePath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[1] !== undefined) segments.push(match[1]);
  }
  return segments;
}

/** A REST 422 in py-ISPyB's (FastAPI's) shape; `in` says where the fields are: body or query. */
export function validationErrorBody(
  issues: readonly TValidationIssue[],
  where: 'body' | 'query' = 'body',
): TValidationErrorBody {
  return {
    detail: issues.map((issue) => ({
      loc: [where, ...parsePath(issue.path)],
      msg: issue.message,
      type: issue.code,
    })),
    errors: issues.map(({ path, message, code }) => ({ path, message, code })),
    code: 'VALIDATION_FAILED',
  };
}
