// Type-only entry point (`@upsync/server/router`): the router type and the wire types, nothing else.
export type { AppRouter } from './router.js';
export type { TBatchInput, TSyncInput } from './wire.js';
