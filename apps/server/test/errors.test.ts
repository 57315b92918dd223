import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZSyncErrorCode } from '@upsync/schema';
import { SyncError } from '@upsync/sync-core';
import { describe, expect, it } from 'vitest';
import { PublicError } from '../src/errors/public-error.js';
import { SYNC_ERROR_MAP, toWireError } from '../src/errors/wire-error.js';

const describeError = (error: unknown, requestId?: string) => toWireError(error, requestId).body;

describe('the error mapping table', () => {
  it.each(ZSyncErrorCode.options)('%s: REST and tRPC answer the same HTTP status', (code) => {
    const mapping = SYNC_ERROR_MAP[code];
    expect(getHTTPStatusCodeFromError(new TRPCError({ code: mapping.trpc }))).toBe(mapping.status);
  });

  it('sends Retry-After exactly with the retryable 503s', () => {
    for (const code of ZSyncErrorCode.options) {
      const { status, retryAfter } = SYNC_ERROR_MAP[code];
      expect(retryAfter !== undefined, code).toBe(status === 503);
    }
  });
});

describe('toWireError: the one mapping from an error to the wire', () => {
  it('shows a SyncError as it is (sync-core writes messages for clients)', () => {
    const failure = new SyncError('IDENTITY_CONFLICT', 'card held by another person', {
      path: 'proposal.labcontacts[1]',
    });
    const wrapped = new TRPCError({ code: 'CONFLICT', message: failure.message, cause: failure });
    expect(describeError(wrapped)).toEqual({
      code: 'IDENTITY_CONFLICT',
      detail: 'card held by another person',
      path: 'proposal.labcontacts[1]',
      retryable: false,
    });
  });

  it('never shows an unknown error: generic message and the request id', () => {
    const driver = new Error(
      "ER_DUP_ENTRY: Duplicate entry 'x' for key 'PRIMARY' in INSERT INTO `Person` ...",
    );
    for (const error of [
      driver,
      new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: driver, message: driver.message }),
    ]) {
      const data = describeError(error, 'req-1');
      expect(data).toEqual({
        code: 'INTERNAL',
        detail: 'Internal server error',
        retryable: false,
        requestId: 'req-1',
      });
    }
  });

  it('does not echo parser messages, which quote the input', () => {
    const error = new TRPCError({
      code: 'PARSE_ERROR',
      message: 'Unexpected token \'s\', "secret-text" is not valid JSON',
    });
    expect(describeError(error).detail).toBe('Malformed JSON body');
  });

  it('answers a rate limit as 429 TOO_MANY_REQUESTS with its Retry-After', () => {
    const wire = toWireError(
      new PublicError('TOO_MANY_REQUESTS', 'Too many requests: retry after 7 s', { retryAfter: 7 }),
    );
    expect(wire).toEqual({
      status: 429,
      trpc: 'TOO_MANY_REQUESTS',
      retryAfter: 7,
      body: { code: 'TOO_MANY_REQUESTS', detail: 'Too many requests: retry after 7 s', retryable: true },
    });
  });

  it('keeps messages the server wrote for clients', () => {
    expect(
      describeError(new PublicError('FORBIDDEN', 'Forbidden: the token lacks the read scope')),
    ).toMatchObject({
      code: 'FORBIDDEN',
      detail: 'Forbidden: the token lacks the read scope',
    });
  });
});
