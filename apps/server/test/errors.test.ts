import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZSyncErrorCode } from '@upsync/schema';
import { describe, expect, it } from 'vitest';
import { describeError, PublicError } from '../src/errors/describe-error.js';
import { SYNC_ERROR_MAP } from '../src/errors/map-sync-error.js';
import { SyncFailure } from '../src/errors/sync-failure.js';

describe('the error mapping table', () => {
  it.each(ZSyncErrorCode.options)('%s: REST and tRPC answer the same HTTP status', (code) => {
    const mapping = SYNC_ERROR_MAP[code];
    expect(getHTTPStatusCodeFromError(new TRPCError({ code: mapping.trpc }))).toBe(mapping.http);
  });

  it('sends Retry-After exactly with the retryable 503s', () => {
    for (const code of ZSyncErrorCode.options) {
      const { http, retryAfter } = SYNC_ERROR_MAP[code];
      expect(retryAfter !== undefined, code).toBe(http === 503);
    }
  });
});

describe('describeError', () => {
  it('shows a SyncFailure as it is (sync-core writes messages for clients)', () => {
    const failure = new SyncFailure({
      code: 'IDENTITY_CONFLICT',
      detail: 'card held by another person',
      path: 'proposal.labcontacts[1]',
      retryable: false,
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

  it('keeps messages the server wrote for clients', () => {
    expect(describeError(new PublicError('FORBIDDEN', 'Forbidden: no uportal_sync'))).toMatchObject({
      code: 'FORBIDDEN',
      detail: 'Forbidden: no uportal_sync',
    });
  });
});
