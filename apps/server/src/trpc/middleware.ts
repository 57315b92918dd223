import { accessDenied } from '../auth/principal.js';
import type { Scope } from '../auth/scopes.js';
import { PublicError } from '../errors/public-error.js';
import { notStarted } from '../errors/sync-error-body.js';
import { t } from './init.js';

/** A procedure that needs a bearer token with these scopes (403 names the first one missing). */
export const scopedProcedure = (...scopes: Scope[]) =>
  t.procedure.use(({ ctx, next }) => {
    const denied = accessDenied(ctx.auth, scopes);
    if (denied || !ctx.auth.ok) throw new PublicError(denied?.code ?? 'UNAUTHORIZED', denied?.message ?? '');
    return next({ ctx: { principal: ctx.auth.principal } });
  });

/** `reconcile: true` deletes: it needs the reconcile scope on top of the procedure's own. */
export function requireReconcileScope(ctx: { principal: { scopes: readonly Scope[] } }, reconcile?: boolean) {
  if (reconcile && !ctx.principal.scopes.includes('reconcile')) {
    throw new PublicError('FORBIDDEN', 'Forbidden: the token lacks the reconcile scope');
  }
}

/** A sync does not start once the request's deadline has passed or its client has gone. */
export function requireTimeLeft(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw notStarted(signal, 'Not started');
}
