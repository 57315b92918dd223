import http from 'node:http';

/** One HTTP exchange: status, parsed body (or text) and latency in ms. */
export interface HttpResult {
  status: number;
  body: unknown;
  text: string;
  ms: number;
  headers: http.IncomingHttpHeaders;
}

/** Options of one request. */
export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** A JSON value, or a raw string/Buffer sent as is. */
  body?: unknown;
  raw?: boolean;
  timeoutMs?: number;
}

/**
 * A small keep-alive HTTP client on node:http (no dependency), for loopback servers only.
 * `maxSockets` bounds the connections, so a concurrency of k uses k sockets.
 */
export class HttpClient {
  readonly agent: http.Agent;

  constructor(
    readonly baseUrl: string,
    maxSockets = 16,
  ) {
    const host = new URL(baseUrl).hostname;
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host))
      throw new Error(`loopback only, not ${host}`);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** Sends a request; never throws on HTTP statuses, only on network errors and time-outs. */
  request(path: string, options: RequestOptions = {}): Promise<HttpResult> {
    const url = new URL(path, this.baseUrl);
    const payload =
      options.body === undefined
        ? undefined
        : options.raw
          ? (options.body as string | Buffer)
          : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string | number> = { ...options.headers };
    if (payload !== undefined) {
      headers['content-length'] = Buffer.byteLength(payload);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json';
    }
    const start = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        { method: options.method ?? (payload === undefined ? 'GET' : 'POST'), headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = JSON.parse(text);
            } catch {
              // not JSON: keep the text
            }
            const ms = Number(process.hrtime.bigint() - start) / 1e6;
            resolve({ status: res.statusCode ?? 0, body, text, ms, headers: res.headers });
          });
        },
      );
      req.setTimeout(options.timeoutMs ?? 30_000, () =>
        req.destroy(new Error(`timeout after ${options.timeoutMs ?? 30_000} ms`)),
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Closes the idle keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }
}

/** Runs `fn` over `items` with at most `concurrency` in flight; results keep the input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
