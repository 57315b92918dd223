import { useState } from 'preact/hooks';
import { describeError, lacksScope } from '../errors.js';
import { clientFor } from '../session.js';

/**
 * Sign-in with a service token. The token is tried once (one history row, the smallest read)
 * before the console opens: a token the server does not know is refused here; a token without
 * the `read` scope is let in with a warning (it may still replay, with `sync`), and each page
 * then says what it lacks.
 */
export function SignIn({ onSignedIn }: { onSignedIn(token: string, notice?: string): void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const value = token.trim();
    if (!value) {
      setError('Enter a token.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await clientFor(value).syncRuns({ limit: 1 });
      onSignedIn(value);
    } catch (failure) {
      if (lacksScope(failure))
        onSignedIn(value, `${describeError(failure, 'Seeing the history')} Replays need the sync scope.`);
      else setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="signin">
      <h1>upsync console</h1>
      <p>
        Sign in with an upsync service token: <code>read</code> scope to look, <code>sync</code> scope to
        replay. The token stays in this browser tab only.
      </p>
      <form onSubmit={submit}>
        <label for="token">Token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellcheck={false}
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          aria-describedby={error ? 'signin-error' : undefined}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {error && (
        <p id="signin-error" class="error" role="alert">
          {error}
        </p>
      )}
    </main>
  );
}
