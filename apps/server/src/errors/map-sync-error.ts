import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { TSyncErrorCode } from '@upsync/schema';

interface ErrorMapping {
  http: number;
  trpc: TRPC_ERROR_CODE_KEY;
  /** Seconds for the Retry-After header (503 only). */
  retryAfter?: number;
}

/**
 * THE table: each sync error code → one HTTP status and one tRPC code.
 * tRPC 11's SERVICE_UNAVAILABLE is HTTP 503, so both transports agree on retryable failures.
 */
export const SYNC_ERROR_MAP: Record<TSyncErrorCode, ErrorMapping> = {
  VALIDATION_FAILED: { http: 422, trpc: 'UNPROCESSABLE_CONTENT' },
  IDENTITY_CONFLICT: { http: 409, trpc: 'CONFLICT' },
  CONSTRAINT_VIOLATION: { http: 400, trpc: 'BAD_REQUEST' },
  // A table (or upsync_lock) is missing: a deployment problem, not the client's. Fields the database
  // lacks are validation issues (missing_column) and answer 422.
  SCHEMA_MISMATCH: { http: 500, trpc: 'INTERNAL_SERVER_ERROR' },
  LOCK_RETRIES_EXHAUSTED: { http: 503, trpc: 'SERVICE_UNAVAILABLE', retryAfter: 2 },
  DATABASE_UNAVAILABLE: { http: 503, trpc: 'SERVICE_UNAVAILABLE', retryAfter: 10 },
  INTERNAL: { http: 500, trpc: 'INTERNAL_SERVER_ERROR' },
};

export function mapSyncError(code: TSyncErrorCode): ErrorMapping {
  return SYNC_ERROR_MAP[code];
}
