/**
 * The console's URLs: everything a person would share or reload (the view, its filters, the run
 * or proposal shown) is in the path or the query; the token never is.
 */
export const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

export const paths = {
  overview: `${BASE}/`,
  runs: `${BASE}/runs`,
  run: `${BASE}/runs/:id`,
  proposal: `${BASE}/proposals/:code/:number`,
};

/** `?a=1&b=` → `?a=1`: empty values are left out, so a URL names only the filters in use. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export const runHref = (id: number) => `${BASE}/runs/${id}`;

export const proposalHref = (code: string, number: string, query: { from?: number; to?: number } = {}) =>
  withQuery(`${BASE}/proposals/${encodeURIComponent(code)}/${encodeURIComponent(number)}`, query);

export interface RunFilters {
  outcome?: string;
  principal?: string;
  proposal?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

export const runsHref = (filters: RunFilters) => withQuery(paths.runs, { ...filters });
