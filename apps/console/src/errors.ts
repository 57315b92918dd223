import { UpsyncAuthError, UpsyncError, UpsyncUnavailableError } from '@upsync/client';

/**
 * One sentence an operator can act on, for whatever a call threw. The server's own message is
 * kept (it names the missing scope); the console only says what to do about it.
 */
export function describeError(error: unknown, action = 'This'): string {
  if (error instanceof UpsyncAuthError) {
    if (error.status === 401) return `The token was not accepted (${error.message}). Sign in again.`;
    return `${action} needs a scope this token lacks: ${error.message}. Sign in with a token that has it.`;
  }
  if (error instanceof UpsyncUnavailableError)
    return `The upsync server could not be reached or is busy (${error.message}). It is tried again shortly.`;
  if (error instanceof UpsyncError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** True when the error means "this token cannot do that" (403), as opposed to a bad token. */
export function lacksScope(error: unknown): boolean {
  return error instanceof UpsyncAuthError && error.status === 403;
}
