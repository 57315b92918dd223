import { initTRPC } from '@trpc/server';
import { toWireError, trpcErrorShape } from '../errors/wire-error.js';
import type { Context } from './context.js';

/**
 * tRPC root: every error is answered through toWireError (code, HTTP status — tRPC takes it from
 * `data.httpStatus` — and the body under `data.upsync`); stacks never leave the process.
 */
export const t = initTRPC.context<Context>().create({
  isDev: false,
  errorFormatter({ shape, error, ctx }) {
    const own = trpcErrorShape(toWireError(error, ctx?.requestId));
    // extends tRPC's shape (its `path` stays); isDev: false, so it carries no stack
    return { ...shape, ...own, data: { ...shape.data, ...own.data } };
  },
});
