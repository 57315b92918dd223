import { TRPCError } from '@trpc/server';
import { syncAccessDenied } from '../auth/principal.js';
import { PublicError } from '../errors/describe-error.js';
import { mapSyncError } from '../errors/map-sync-error.js';
import { SyncFailure } from '../errors/sync-failure.js';
import { t } from './init.js';

/** Turns a SyncFailure into the TRPCError of the mapping table (keeping it as the cause). */
const mapFailures = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof SyncFailure) {
    const failure = result.error.cause;
    throw new TRPCError({ code: mapSyncError(failure.code).trpc, message: failure.message, cause: failure });
  }
  return result;
});

/** Bearer token with the `uportal_sync` permission, as py-ISPyB requires on userportalsync. */
const requireSyncPermission = t.middleware(({ ctx, next }) => {
  const denied = syncAccessDenied(ctx.auth);
  if (denied || !ctx.auth.ok) throw new PublicError(denied?.code ?? 'UNAUTHORIZED', denied?.message ?? '');
  return next({ ctx: { principal: ctx.auth.principal } });
});

export const syncProcedure = t.procedure.use(mapFailures).use(requireSyncPermission);
