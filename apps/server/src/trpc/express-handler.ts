import { createExpressMiddleware } from '@trpc/server/adapters/express';
import type { Authenticate } from '../auth/authenticate.js';
import type { ServerConfig } from '../config.js';
import { syncErrorOf, toWireError } from '../errors/wire-error.js';
import type { Logger } from '../logger.js';
import { appRouter } from '../router.js';
import type { Context, SyncService } from './context.js';

interface TrpcHandlerDeps {
  config: ServerConfig;
  authenticate: Authenticate;
  services: SyncService;
  logger: Logger;
}

/** The router over HTTP at /trpc: the request's principal, signal and services as its context. */
export function trpcHandler({ config, authenticate, services, logger }: TrpcHandlerDeps) {
  return createExpressMiddleware({
    router: appRouter,
    maxBodySize: config.bodyLimitBytes,
    // refused before any call runs (1,000 calls in one request all ran)
    maxBatchSize: config.payloadLimits.maxTrpcBatch,
    createContext: async ({ req, res }): Promise<Context> => {
      const auth = res.locals.auth ?? (await authenticate(req.headers.authorization));
      if (auth.ok) res.locals.principal = auth.principal.name;
      return {
        requestId: res.locals.requestId,
        auth,
        services,
        ...(res.locals.signal && { signal: res.locals.signal }),
      };
    },
    responseMeta({ errors }) {
      const retryAfter = errors.map((e) => toWireError(e).retryAfter).find((s) => s !== undefined);
      return retryAfter === undefined ? {} : { headers: { 'Retry-After': String(retryAfter) } };
    },
    onError({ error, ctx }) {
      // a SyncError was logged where it happened (the sync service), with its cause
      if (toWireError(error).body.code === 'INTERNAL' && !syncErrorOf(error)) {
        logger.error({ err: error.cause ?? error, reqId: ctx?.requestId }, 'unhandled tRPC error');
      }
    },
  });
}
