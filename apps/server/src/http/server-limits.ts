import type { Server } from 'node:http';
import type { HttpLimits } from '../config.js';

/**
 * Node's HTTP server limits from the configuration: a client gets `headersTimeout` to send its
 * headers and `requestTimeout` for the whole request (slow uploads answer 408), idle keep-alive
 * connections last `keepAliveTimeout` — above a reverse proxy's own idle timeout, so the proxy
 * never reuses a connection the server is closing — and at most `maxConnections` are open.
 */
export function applyServerLimits(server: Server, limits: HttpLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
}
