import type { Scope } from './scopes.js';

/** Who called: a named service token or a py-ISPyB user JWT. Never carries the secret. */
export interface Principal {
  kind: 'service-token' | 'jwt';
  /** Token name, or `jwt:<login>`: safe to log. */
  name: string;
  scopes: readonly Scope[];
}

/** Why authentication failed; each reason answers 401. */
export type AuthFailureReason = 'missing' | 'scheme' | 'invalid' | 'expired';

export type AuthResult = { ok: true; principal: Principal } | { ok: false; reason: AuthFailureReason };

export const AUTH_FAILURE_MESSAGES: Record<AuthFailureReason, string> = {
  missing: 'Not authenticated: send Authorization: Bearer <token>',
  scheme: 'Not authenticated: the Authorization header must use the Bearer scheme',
  invalid: 'Not authenticated: invalid token',
  expired: 'Not authenticated: the token has expired',
};

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes(scope);
}

/**
 * Why a request may not go on, or undefined when it may: shared by the REST and tRPC edges.
 * `scopes` empty: any authenticated principal (e.g. /metrics behind a token).
 */
export function accessDenied(
  auth: AuthResult,
  scopes: readonly Scope[],
): { code: 'UNAUTHORIZED' | 'FORBIDDEN'; message: string } | undefined {
  if (!auth.ok) return { code: 'UNAUTHORIZED', message: AUTH_FAILURE_MESSAGES[auth.reason] };
  const missing = scopes.find((scope) => !hasScope(auth.principal, scope));
  if (missing !== undefined) {
    return { code: 'FORBIDDEN', message: `Forbidden: the token lacks the ${missing} scope` };
  }
  return undefined;
}
