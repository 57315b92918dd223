import { initTRPC } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { toWireError } from '../errors/wire-error.js';
import type { Context } from './context.js';

/**
 * tRPC root: every error is answered through toWireError (code, HTTP status — tRPC takes it from
 * `data.httpStatus` — and the body under `data.upsync`); stacks never leave the process.
 */
export const t = initTRPC.context<Context>().create({
  isDev: false,
  errorFormatter({ shape, error, ctx }) {
    const wire = toWireError(error, ctx?.requestId);
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      code: TRPC_ERROR_CODES_BY_KEY[wire.trpc],
      message: wire.body.detail,
      data: { ...data, code: wire.trpc, httpStatus: wire.status, upsync: wire.body },
    };
  },
});
