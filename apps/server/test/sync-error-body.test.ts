import { type TSyncErrorBody, ZSyncErrorBody } from '@upsync/schema';
import { SyncError, validationFailed } from '@upsync/sync-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { asSyncError, notStarted, syncErrorBody } from '../src/errors/sync-error-body.js';

describe('syncErrorBody: a failure mapped once to the body every transport sends', () => {
  it('is ZSyncErrorBody, with every field a SyncError carries', () => {
    const issues = [{ path: 'proposal.title', message: 'too long', code: 'too_big' }];
    const body = syncErrorBody(validationFailed(issues));
    expectTypeOf(body).toEqualTypeOf<TSyncErrorBody>();
    expect(ZSyncErrorBody.parse(body)).toEqual(body); // nothing outside the schema
    expect(body).toEqual({
      code: 'VALIDATION_FAILED',
      detail: 'Invalid payload: proposal.title: too long',
      retryable: false,
      path: 'proposal.title',
      errors: issues,
    });
  });

  it('never shows a driver message: anything else is INTERNAL, generic, with the request id', () => {
    const driver = new Error("ER_DUP_ENTRY: Duplicate entry 'x' for key 'PRIMARY' in INSERT INTO `Person`");
    expect(syncErrorBody(driver, 'req-1')).toEqual({
      code: 'INTERNAL',
      detail: 'Internal server error',
      retryable: false,
      requestId: 'req-1',
    });
    expect(asSyncError(driver).cause).toBe(driver); // kept for the log
  });

  it('gives the request id to INTERNAL only, and keeps retryable', () => {
    const stopped = AbortSignal.abort(new Error('the deadline passed'));
    expect(syncErrorBody(notStarted(stopped, 'Not started'), 'req-2')).toEqual({
      code: 'DEADLINE_EXCEEDED',
      detail: 'Not started: the deadline passed',
      retryable: true,
    });
    const failure = new SyncError('IDENTITY_CONFLICT', 'card held by another person', {
      entity: 'labContacts',
    });
    expect(asSyncError(failure)).toBe(failure);
    expect(syncErrorBody(failure, 'req-3')).toEqual({
      code: 'IDENTITY_CONFLICT',
      detail: 'card held by another person',
      retryable: false,
      entity: 'labContacts',
    });
  });
});
