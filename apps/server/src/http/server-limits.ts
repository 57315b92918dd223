import { createServer, type RequestListener, type Server } from 'node:http';
import type { HttpLimits } from '../config.js';

/**
 * The HTTP server with the configured limits: a client gets `headersTimeout` to send its headers
 * and `requestTimeout` for the whole request (a slow upload answers 408), idle keep-alive
 * connections last `keepAliveTimeout` — above a reverse proxy's own idle timeout, so the proxy
 * never reuses a connection the server is closing — and at most `maxConnections` are open.
 * Node checks the two timeouts only every `connectionsCheckingInterval` (30 s by default, which
 * would stretch a 20 s headers timeout to 50 s): once a second here.
 */
export function createHttpServer(app: RequestListener, limits: HttpLimits): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    app,
  );
  // not a createServer option in every Node 20
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  return server;
}
