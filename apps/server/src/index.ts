export { type AppDeps, createApp } from './app.js';
export { ConfigError, loadConfig, type ServerConfig } from './config.js';
export { SYNC_ERROR_MAP } from './errors/map-sync-error.js';
export { buildOpenApiDocument } from './openapi.js';
export { type AppRouter, appRouter } from './router.js';
export type { TBatchInput, TSyncInput } from './wire.js';
