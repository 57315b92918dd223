export { type AppDeps, createApp } from './app.js';
export { tokensFromPairs } from './auth/service-tokens.js';
export { ConfigError, loadConfig, type ServerConfig } from './config.js';
export { SYNC_ERROR_MAP, toWireError } from './errors/wire-error.js';
export { createLogger } from './logger.js';
export { buildOpenApiDocument } from './openapi.js';
export { type AppRouter, appRouter } from './router.js';
export type { TBatchInput, TSyncInput } from './wire.js';
