import { type BackoffOptions, parseRetryAfter, retryDelay } from './backoff.js';
import { errorFromResponse, RETRYABLE_STATUSES, UpsyncUnavailableError } from './errors.js';

/** A `fetch` as the platform defines it (global in Node 18+ and browsers). */
export type FetchFn = typeof globalThis.fetch;

/** What happened before a retry, for logging. */
export interface RetryEvent {
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  /** HTTP status, or the network error's message. */
  reason: string;
}

export interface TransportOptions extends BackoffOptions {
  fetch: FetchFn;
  /** Per attempt: the request is aborted when no response has arrived by then. */
  timeoutMs: number;
  /** Retries after the first attempt, for network errors, timeouts and 429/502/503/504. */
  retries: number;
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Wraps `fetch` with a per-attempt timeout and retries of transient failures (network errors,
 * timeouts, 429/502/503/504) with backoff and jitter: at least the server's Retry-After, never
 * longer than `maxDelayMs`. Syncs are idempotent, so resending one whose
 * answer was lost is safe. Other statuses are returned at once; a non-JSON error body
 * (a proxy's HTML page) becomes an `UpsyncError` here because no tRPC error shape can be read from it.
 */
export function createRetryingFetch(options: TransportOptions): FetchFn {
  const retryingFetch = async (input: Parameters<FetchFn>[0], init?: RequestInit): Promise<Response> => {
    const url = describeUrl(input);
    for (let attempt = 0; ; attempt++) {
      const outcome = await attemptOnce(options, input, init, url);
      const last = attempt >= options.retries;
      if (outcome.kind === 'error') {
        if (last || init?.signal?.aborted) throw outcome.error;
        await pause(options, attempt, undefined, outcome.error.message, init?.signal);
        continue;
      }
      const response = outcome.response;
      if (RETRYABLE_STATUSES.has(response.status) && !last) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        await response.body?.cancel().catch(() => undefined);
        await pause(options, attempt, retryAfter, `HTTP ${response.status}`, init?.signal);
        continue;
      }
      if (!response.ok && !isJson(response)) throw await nonJsonError(response, url);
      return response;
    }
  };
  return retryingFetch as FetchFn;
}

type Outcome = { kind: 'response'; response: Response } | { kind: 'error'; error: UpsyncUnavailableError };

async function attemptOnce(
  options: TransportOptions,
  input: Parameters<FetchFn>[0],
  init: RequestInit | undefined,
  url: string,
): Promise<Outcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const callerSignal = init?.signal ?? undefined;
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    const response = await options.fetch(input, { ...init, signal: controller.signal });
    return { kind: 'response', response };
  } catch (cause) {
    if (callerSignal?.aborted) throw cause;
    const error = timedOut
      ? new UpsyncUnavailableError(`No response from ${url} within ${options.timeoutMs} ms`, {
          code: 'TIMEOUT',
          cause,
        })
      : new UpsyncUnavailableError(`Cannot reach ${url}: ${networkReason(cause)}`, {
          code: 'NETWORK_ERROR',
          cause,
        });
    return { kind: 'error', error };
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}

async function pause(
  options: TransportOptions,
  attempt: number,
  retryAfterMs: number | undefined,
  reason: string,
  signal: AbortSignal | null | undefined,
): Promise<void> {
  const delayMs = retryDelay(attempt, retryAfterMs, options);
  options.onRetry?.({ attempt: attempt + 1, delayMs, reason });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(done, delayMs);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isJson(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').includes('json');
}

async function nonJsonError(response: Response, url: string) {
  const text = (await response.text().catch(() => '')).trim().slice(0, 200);
  const detail = `HTTP ${response.status} ${response.statusText} from ${url}${text ? `: ${text}` : ''}`;
  return errorFromResponse(response.status, { detail });
}

/** The most useful line of a fetch failure: Node puts the socket error (ECONNREFUSED…) in `cause`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code)
    return cause.message?.includes(cause.code)
      ? cause.message
      : `${cause.code} ${cause.message ?? ''}`.trim();
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function describeUrl(input: Parameters<FetchFn>[0]): string {
  const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return raw.split('?')[0] ?? raw;
}
