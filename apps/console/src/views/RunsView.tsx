import { useMemo } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { RunsFilters } from '../components/RunsFilters.js';
import { RunsTable } from '../components/RunsTable.js';
import { type RunFilters, runsHref } from '../routes.js';
import { useSession } from '../session.js';
import { useResource } from '../use-resource.js';

/** The list follows new runs: asked again every few seconds while the tab is visible. */
const POLL_MS = 3_000;
const PAGE_SIZE = 50;
const FILTER_KEYS = ['outcome', 'principal', 'proposal', 'from', 'to', 'cursor'] as const;

/** The sync history, filtered by what the URL says, one cursor page at a time. */
export function RunsView() {
  const { client } = useSession();
  const { query, route } = useLocation();
  const filters = useMemo(() => {
    const picked: RunFilters = {};
    for (const key of FILTER_KEYS) if (query[key]) picked[key] = query[key];
    return picked;
  }, [query]);
  const filterKey = JSON.stringify(filters);
  const page = useResource(
    () => client.syncRuns({ ...(filters as object), limit: PAGE_SIZE }),
    [client, filterKey],
    POLL_MS,
  );

  return (
    <>
      <h1>Runs</h1>
      <RunsFilters filters={filters} onApply={(next) => route(runsHref(next))} />
      <ErrorMessage error={page.error} action="The runs list" />
      <div aria-busy={page.loading}>
        {page.data && <RunsTable runs={page.data.runs} />}
        {!page.data && page.loading && <p>Loading…</p>}
      </div>
      <nav aria-label="Pages" class="pager">
        {filters.cursor && <a href={runsHref({ ...filters, cursor: undefined })}>Newest</a>}
        {page.data?.nextCursor && <a href={runsHref({ ...filters, cursor: page.data.nextCursor })}>Older</a>}
      </nav>
    </>
  );
}
