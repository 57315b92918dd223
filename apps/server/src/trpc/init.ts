import { initTRPC } from '@trpc/server';
import { describeError } from '../errors/describe-error.js';
import type { Context } from './context.js';

/** tRPC root: every error is described by describeError; stacks never leave the process. */
export const t = initTRPC.context<Context>().create({
  isDev: false,
  errorFormatter({ shape, error, ctx }) {
    const upsync = describeError(error, ctx?.requestId);
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, message: upsync.detail, data: { ...data, upsync } };
  },
});
