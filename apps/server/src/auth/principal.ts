/** The permission py-ISPyB checks on its userportalsync routes. */
export const SYNC_PERMISSION = 'uportal_sync';

/** Who called: a named service token or a py-ISPyB user JWT. Never carries the secret. */
export interface Principal {
  kind: 'service-token' | 'jwt';
  /** Token name, or `jwt:<login>`: safe to log. */
  name: string;
  permissions: readonly string[];
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

export function hasPermission(principal: Principal, permission: string): boolean {
  return principal.permissions.includes(permission);
}

/** Why a request may not sync, or undefined when it may: shared by the REST and tRPC edges. */
export function syncAccessDenied(
  auth: AuthResult,
): { code: 'UNAUTHORIZED' | 'FORBIDDEN'; message: string } | undefined {
  if (!auth.ok) return { code: 'UNAUTHORIZED', message: AUTH_FAILURE_MESSAGES[auth.reason] };
  if (!hasPermission(auth.principal, SYNC_PERMISSION)) {
    return { code: 'FORBIDDEN', message: `Forbidden: the token lacks the ${SYNC_PERMISSION} permission` };
  }
  return undefined;
}
