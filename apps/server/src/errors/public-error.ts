import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

/** A protocol error whose message was written by this server for clients to read. */
export class PublicError extends TRPCError {
  /** Seconds for Retry-After (429). */
  readonly retryAfter: number | undefined;

  constructor(code: TRPC_ERROR_CODE_KEY, message: string, options: { retryAfter?: number } = {}) {
    super({ code, message });
    this.retryAfter = options.retryAfter;
  }
}
