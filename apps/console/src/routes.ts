/**
 * The console's URLs: everything a person would share or reload (the view, its filters, the run
 * or proposal shown) is in the query; the token never is. Every page sits one level under the
 * console's root (`<root>runs`, `<root>run?id=5`), so the built files can name their assets
 * relatively and the console works under any path a proxy gives it (`/console/`,
 * `/upsync/console/`) without a rebuild.
 */
export const ROOT = consoleRoot();

/**
 * The root path as served: the folder above the bundle's `assets/` (read from this module's own
 * URL in the build); Vite's base on the development server, where modules are not under assets/.
 */
function consoleRoot(): string {
  const here = new URL(import.meta.url).pathname;
  const at = here.lastIndexOf('/assets/');
  return at >= 0 ? here.slice(0, at + 1) : import.meta.env.BASE_URL;
}

export const paths = {
  overview: ROOT,
  runs: `${ROOT}runs`,
  run: `${ROOT}run`,
  proposal: `${ROOT}proposal`,
};

/** `?a=1&b=` → `?a=1`: empty values are left out, so a URL names only the filters in use. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export const runHref = (id: number) => withQuery(paths.run, { id });

export const proposalHref = (code: string, number: string, query: { from?: number; to?: number } = {}) =>
  withQuery(paths.proposal, { code, number, ...query });

export interface RunFilters {
  outcome?: string;
  principal?: string;
  proposal?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

export const runsHref = (filters: RunFilters) => withQuery(paths.runs, { ...filters });
