import { createTRPCClient, httpLink, isTRPCClientError } from '@trpc/client';
import type {
  TProposalSnapshot,
  TSyncProposalInput,
  TSyncResult,
  TSyncRun,
  TSyncRunDiff,
  TSyncRunPage,
  TSyncRunQueryInput,
  TSyncStats,
  TSyncStatsQueryInput,
} from '@upsync/schema';
// Type-only, and only the router's type: erased from the built JS, and absent from the built
// declarations because every public signature below is written with @upsync/schema types.
import type { AppRouter } from '@upsync/server/router';
import { errorFromResponse, type ServerErrorBody, UpsyncError } from './errors.js';
import { createRetryingFetch, type FetchFn } from './transport.js';
import type {
  JsonSchema,
  ReadyStatus,
  SyncBatchResult,
  SyncOptions,
  UpsyncClient,
  UpsyncClientOptions,
} from './types.js';

const DEFAULTS = { timeoutMs: 30_000, retries: 3, retryDelayMs: 300, maxRetryDelayMs: 10_000 };

/** Creates a client for one upsync server. */
export function createUpsyncClient(options: UpsyncClientOptions): UpsyncClient {
  const baseUrl = options.url.replace(/\/+$/, '');
  const baseFetch: FetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const transport = {
    fetch: baseFetch,
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    retries: Math.max(0, options.retries ?? DEFAULTS.retries),
    baseDelayMs: options.retryDelayMs ?? DEFAULTS.retryDelayMs,
    maxDelayMs: options.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs,
    onRetry: options.onRetry,
  };
  const headers = async (): Promise<Record<string, string>> => {
    const token = typeof options.token === 'function' ? await options.token() : options.token;
    return { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  };
  const trpc = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${baseUrl}/trpc`, fetch: createRetryingFetch(transport), headers })],
  });
  // Readiness answers 503 on purpose: ask once, do not retry.
  const probeFetch = createRetryingFetch({ ...transport, retries: 0 });

  return {
    syncProposal: (payload: TSyncProposalInput, syncOptions: SyncOptions = {}) => {
      const input = {
        payload,
        reconcile: syncOptions.reconcile,
        ...(syncOptions.replayOf !== undefined && { replayOf: syncOptions.replayOf }),
      };
      return call(
        (): Promise<TSyncResult> =>
          syncOptions.dryRun ? trpc.dryRunProposal.mutate(input) : trpc.syncProposal.mutate(input),
      );
    },
    syncProposals: (payloads: TSyncProposalInput[], syncOptions: SyncOptions = {}) =>
      call(
        (): Promise<SyncBatchResult> =>
          trpc.syncProposals.mutate({
            payloads,
            reconcile: syncOptions.reconcile,
            dryRun: syncOptions.dryRun,
          }),
      ),
    syncRuns: (query: TSyncRunQueryInput = {}) =>
      call((): Promise<TSyncRunPage> => trpc.syncRuns.query(query)),
    syncRun: (id: number) => call((): Promise<TSyncRun> => trpc.syncRun.query({ id })),
    syncStats: (query: TSyncStatsQueryInput = {}) =>
      call((): Promise<TSyncStats> => trpc.syncStats.query(query)),
    syncRunDiff: (query: { from: number; to: number }) =>
      call((): Promise<TSyncRunDiff> => trpc.syncRunDiff.query(query)),
    proposal: (proposalCode: string, proposalNumber: string | number) =>
      call(
        (): Promise<TProposalSnapshot> =>
          trpc.proposal.query({ proposalCode, proposalNumber: String(proposalNumber) }),
      ),
    schema: () => call((): Promise<JsonSchema> => trpc.schema.query()),
    ready: async (): Promise<ReadyStatus> => {
      const response = await probeFetch(`${baseUrl}/ready`, { headers: await headers() });
      const details: unknown = await response.json().catch(() => null);
      return { ready: response.ok, status: response.status, details };
    },
  };
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toUpsyncError(error);
  }
}

/** Maps whatever the tRPC client threw to one of the SDK's error classes. */
export function toUpsyncError(error: unknown): UpsyncError {
  if (error instanceof UpsyncError) return error;
  if (isTRPCClientError(error)) {
    if (error.cause instanceof UpsyncError) return error.cause;
    const data = (error.data ?? {}) as { httpStatus?: number; code?: string; upsync?: ServerErrorBody };
    const response = error.meta?.response as { status?: number } | undefined;
    const status = data.httpStatus ?? response?.status;
    const body: ServerErrorBody = data.upsync ?? { detail: error.message };
    const mapped = errorFromResponse(status, { detail: error.message, code: data.code, ...body });
    (mapped as { cause?: unknown }).cause = error;
    return mapped;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new UpsyncError(message, { code: 'CLIENT_ERROR', cause: error });
}
