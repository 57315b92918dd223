import { createUpsyncClient, type UpsyncClient } from '@upsync/client';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ROOT } from './routes.js';

/**
 * The token lives in this tab's sessionStorage (docs/architecture.md says why): a reload or a
 * shared link opened in the same tab keeps the operator signed in; closing the tab forgets it.
 * Never localStorage (it outlives the browser session and every tab sees it) and never the URL.
 */
const TOKEN_KEY = 'upsync.console.token';

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    // storage refused (privacy mode): the token then lives in memory only
    return null;
  }
}

export function storeToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // memory only, see storedToken
  }
}

/** The API's root: the folder above the console's (`/upsync/console/` → `/upsync/`), same origin. */
export function apiRoot(): string {
  return new URL('..', new URL(ROOT, window.location.origin)).href;
}

/** One SDK client per signed-in token; a console request is retried once, then shown as failed. */
export function clientFor(token: string): UpsyncClient {
  return createUpsyncClient({ url: apiRoot(), token, retries: 1, timeoutMs: 30_000 });
}

export interface Session {
  client: UpsyncClient;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
