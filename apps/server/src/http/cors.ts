import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * CORS for portal pages served from other origins (UPSYNC_CORS_ORIGINS). Only the listed exact
 * origins are echoed back, never `*`, and no Access-Control-Allow-Credentials is sent: the API
 * authenticates with a bearer token in the Authorization header, not with cookies. Preflights
 * are answered here (204), before authentication. Retry-After is exposed so the SDK's backoff
 * sees it in a browser; X-Request-Id so a portal can quote it.
 */
export function corsFor(origins: readonly string[]): RequestHandler {
  return cors({
    origin: [...origins],
    methods: ['GET', 'POST'],
    exposedHeaders: ['Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
}
