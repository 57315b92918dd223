import { useMemo, useState } from 'preact/hooks';
import { LocationProvider, Route, Router } from 'preact-iso';
import { Nav } from './components/Nav.js';
import { paths } from './routes.js';
import { clientFor, type Session, SessionContext, storedToken, storeToken } from './session.js';
import { NotFoundView } from './views/NotFoundView.js';
import { OverviewView } from './views/OverviewView.js';
import { ProposalView } from './views/ProposalView.js';
import { RunsView } from './views/RunsView.js';
import { RunView } from './views/RunView.js';
import { SignIn } from './views/SignIn.js';

/** The console: sign-in until a token is accepted, then one view per URL. */
export function App() {
  const [token, setToken] = useState(storedToken);
  const [notice, setNotice] = useState<string>();
  const session = useMemo<Session | null>(
    () =>
      token
        ? {
            client: clientFor(token),
            signOut: () => {
              storeToken(null);
              setNotice(undefined);
              setToken(null);
            },
          }
        : null,
    [token],
  );

  if (!session)
    return (
      <SignIn
        onSignedIn={(accepted, warning) => {
          storeToken(accepted);
          setNotice(warning);
          setToken(accepted);
        }}
      />
    );

  return (
    <SessionContext.Provider value={session}>
      <LocationProvider>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <Nav onSignOut={session.signOut} />
        <main id="main" tabIndex={-1}>
          {notice && (
            <p class="notice" role="status">
              {notice}
            </p>
          )}
          <Router>
            <Route path={paths.overview} component={OverviewView} />
            <Route path={paths.runs} component={RunsView} />
            <Route path={paths.run} component={RunView} />
            <Route path={paths.proposal} component={ProposalView} />
            <Route default component={NotFoundView} />
          </Router>
        </main>
      </LocationProvider>
    </SessionContext.Provider>
  );
}
