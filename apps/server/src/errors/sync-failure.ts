import type { TSyncErrorBody, TSyncErrorCode, TValidationIssue } from '@upsync/schema';

/** A sync failure as the server edge sees it: safe to show (no SQL, no driver text). */
export interface SyncFailureBody extends TSyncErrorBody {
  issues?: TValidationIssue[];
}

/** Carries a failure from the sync service to the tRPC/REST edges, where it is mapped once. */
export class SyncFailure extends Error {
  override name = 'SyncFailure';
  constructor(readonly body: SyncFailureBody) {
    super(body.detail);
  }

  get code(): TSyncErrorCode {
    return this.body.code;
  }
}

export const GENERIC_INTERNAL_MESSAGE = 'Internal server error';

/** A validation failure found at the server edge (query parameters, wrapper fields). */
export function validationFailure(issues: TValidationIssue[]): SyncFailure {
  return new SyncFailure({
    code: 'VALIDATION_FAILED',
    detail: issues.length === 1 ? `Invalid request: ${issues[0]!.message}` : 'Invalid request',
    retryable: false,
    issues,
  });
}
