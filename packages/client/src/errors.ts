import type { TErrorBody, TValidationIssue } from '@upsync/schema';

/** What every upsync error carries, besides its message (the server's `detail`): the fields of its error body. */
export interface UpsyncErrorOptions {
  /** Server code (`VALIDATION_FAILED`, `IDENTITY_CONFLICT`, …) or a client one (`NETWORK_ERROR`, `TIMEOUT`, `HTTP_ERROR`). */
  code: TErrorBody['code'];
  /** HTTP status of the last response; absent when no response arrived. */
  status?: number;
  /** True when the same request may succeed later (network errors, 503). */
  retryable?: TErrorBody['retryable'];
  /** Payload path the failure is about, such as `sessions[1].persons[0]`. */
  path?: TErrorBody['path'];
  /** Entity kind the failure is about (`persons`, `sessions`, …), when the server names one. */
  entity?: TErrorBody['entity'];
  /** Server request id of an internal error: quote it to the operator, who finds the details in the log. */
  requestId?: TErrorBody['requestId'];
  cause?: unknown;
}

/** Base class of every error the SDK throws. */
export class UpsyncError extends Error {
  override name = 'UpsyncError';
  readonly code: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly path: string | undefined;
  readonly entity: string | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, options: UpsyncErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.path = options.path;
    this.entity = options.entity;
    this.requestId = options.requestId;
  }
}

/** The payload was refused (HTTP 422): `issues` lists every `{ path, message, code }`. */
export class UpsyncValidationError extends UpsyncError {
  override name = 'UpsyncValidationError';
  readonly issues: TValidationIssue[];

  constructor(message: string, options: UpsyncErrorOptions & { issues: TValidationIssue[] }) {
    super(message, { ...options, retryable: false });
    this.issues = options.issues;
  }
}

/** Missing or invalid token (401), or a token without the scope the call needs (403: the message names it). */
export class UpsyncAuthError extends UpsyncError {
  override name = 'UpsyncAuthError';
}

/** The route or resource does not exist (404): often a wrong `url`. */
export class UpsyncNotFoundError extends UpsyncError {
  override name = 'UpsyncNotFoundError';
}

/** The payload conflicts with rows already in ISPyB (409), such as two identities for one person. */
export class UpsyncConflictError extends UpsyncError {
  override name = 'UpsyncConflictError';
}

/** The server could not be reached, timed out, or answered 503; thrown once the retries are spent. */
export class UpsyncUnavailableError extends UpsyncError {
  override name = 'UpsyncUnavailableError';

  constructor(message: string, options: UpsyncErrorOptions) {
    super(message, { ...options, retryable: true });
  }
}

/** HTTP statuses that mean "try again later" (429 after its Retry-After); every other 4xx/5xx is final. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * The error body the server sends (`data.upsync` in tRPC, the JSON body in REST): `ZErrorBody` of
 * @upsync/schema, read leniently (a proxy's error has none of it; `message` is tRPC's).
 */
export type ServerErrorBody = Partial<TErrorBody> & { message?: string };

/** Builds the error class that fits an HTTP status and the server's error body. */
export function errorFromResponse(status: number | undefined, body: ServerErrorBody): UpsyncError {
  const message = body.detail ?? body.message ?? `HTTP ${status ?? 'error'}`;
  const issues = body.errors;
  const options: UpsyncErrorOptions = {
    code: body.code ?? codeForStatus(status),
    status,
    retryable: body.retryable ?? (status !== undefined && RETRYABLE_STATUSES.has(status)),
    path: body.path,
    entity: body.entity,
    requestId: body.requestId,
  };
  if (status === 422 || options.code === 'VALIDATION_FAILED' || (issues && issues.length > 0)) {
    return new UpsyncValidationError(message, { ...options, issues: issues ?? [] });
  }
  if (status === 401 || status === 403) return new UpsyncAuthError(message, options);
  if (status === 404) return new UpsyncNotFoundError(message, options);
  if (status === 409) return new UpsyncConflictError(message, options);
  if (status !== undefined && RETRYABLE_STATUSES.has(status))
    return new UpsyncUnavailableError(message, options);
  return new UpsyncError(message, options);
}

function codeForStatus(status: number | undefined): string {
  switch (status) {
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 429:
      return 'TOO_MANY_REQUESTS';
    case 422:
      return 'VALIDATION_FAILED';
    case 502:
    case 503:
    case 504:
      return 'UNAVAILABLE';
    default:
      return 'HTTP_ERROR';
  }
}
