import { useLocation } from 'preact-iso';
import { paths } from '../routes.js';

/** The three places of the console and the way out. */
export function Nav({ onSignOut }: { onSignOut(): void }) {
  const { path } = useLocation();
  // a run's page belongs to the runs
  const current = (href: string) =>
    href === paths.runs ? path === paths.runs || path === paths.run : path === href;
  return (
    <header class="top">
      <span class="brand">upsync console</span>
      <nav aria-label="Main">
        <a class="nav-link" href={paths.overview} aria-current={current(paths.overview) ? 'page' : undefined}>
          Overview
        </a>
        <a class="nav-link" href={paths.runs} aria-current={current(paths.runs) ? 'page' : undefined}>
          Runs
        </a>
      </nav>
      <button type="button" class="secondary" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}
