import type { TEntityKind, TSyncErrorCode, TValidationIssue } from '@upsync/schema';

export interface SyncErrorDetails {
  /** Payload path (`proposal.labcontacts[1]`), when the failure belongs to one entry. */
  path?: string | undefined;
  entity?: TEntityKind | undefined;
  issues?: TValidationIssue[] | undefined;
  /** The driver error, for logs only: never part of `message`. */
  cause?: unknown;
}

/** A failed sync: a code (ZSyncErrorCode), where it failed, and whether retrying may help. */
export class SyncError extends Error {
  override readonly name = 'SyncError';
  readonly path: string | undefined;
  readonly entity: TEntityKind | undefined;
  readonly issues: TValidationIssue[] | undefined;
  readonly retryable: boolean;

  constructor(
    readonly code: TSyncErrorCode,
    message: string,
    details: SyncErrorDetails & { retryable?: boolean } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.path = details.path;
    this.entity = details.entity;
    this.issues = details.issues;
    this.retryable = details.retryable ?? false;
  }
}

/** The payload failed validation (against the live column facts). */
export function validationFailed(issues: TValidationIssue[]): SyncError {
  const first = issues[0];
  const head = first ? `${first.path}: ${first.message}` : 'the payload is invalid';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new SyncError('VALIDATION_FAILED', `Invalid payload: ${head}${more}`, { issues, path: first?.path });
}

/** The payload and the database disagree about who is who (e.g. a lab contact card held by another person). */
export function identityConflict(message: string, details: SyncErrorDetails = {}): SyncError {
  return new SyncError('IDENTITY_CONFLICT', message, details);
}

/** A database constraint refused a write; the transaction was rolled back. */
export function constraintViolation(message: string, details: SyncErrorDetails = {}): SyncError {
  return new SyncError('CONSTRAINT_VIOLATION', message, details);
}

/** The database lacks a table or column this sync needs. */
export function schemaMismatch(message: string, details: SyncErrorDetails = {}): SyncError {
  return new SyncError('SCHEMA_MISMATCH', message, details);
}

/** Deadlocks / lock wait timeouts / certification failures persisted over every attempt. */
export function lockRetriesExhausted(attempts: number, cause: unknown, elapsedMs: number): SyncError {
  return new SyncError(
    'LOCK_RETRIES_EXHAUSTED',
    `The proposal could not be written after ${attempts} attempts in ${(elapsedMs / 1000).toFixed(1)} s because of conflicting concurrent writes (concurrent syncs, or a change of the database cluster); retry later`,
    { cause, retryable: true },
  );
}

/** The database cannot be reached. */
export function databaseUnavailable(cause: unknown): SyncError {
  return new SyncError('DATABASE_UNAVAILABLE', 'The ISPyB database is unavailable; retry later', {
    cause,
    retryable: true,
  });
}

/** Anything unexpected; details stay in `cause`. */
export function internalError(cause: unknown, details: SyncErrorDetails = {}): SyncError {
  const where = details.entity ? ` while syncing ${details.entity}` : '';
  return new SyncError('INTERNAL', `Internal error${where}; nothing was written`, { ...details, cause });
}
