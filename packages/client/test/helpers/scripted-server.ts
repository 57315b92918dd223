import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the scripted server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Answers one request; `n` counts from 1. */
export type Script = (request: SeenRequest, n: number, res: ServerResponse) => void;

/** A real HTTP server on an ephemeral port whose answers a test scripts (for transport behaviour). */
export async function startScriptedServer(script: Script) {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      script(seen, requests.length, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON body. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A tRPC error response as the upsync server formats it (`data.upsync`). */
export function trpcError(httpStatus: number, trpcCode: string, upsync: Record<string, unknown>) {
  return {
    error: {
      message: upsync.detail,
      code: -32000,
      data: { code: trpcCode, httpStatus, path: 'syncProposal', upsync },
    },
  };
}

/** A minimal valid sync result, as the server would send it. */
export function sampleResult(overrides: Record<string, unknown> = {}) {
  const counts = { created: 0, updated: 0, unchanged: 1, deleted: 0 };
  const zero = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
  return {
    message: 'The proposal MX-1 has been synchronized in 0.010',
    proposal: { proposalId: 1, proposalCode: 'MX', proposalNumber: '1' },
    entities: {
      laboratories: [],
      persons: [],
      proposal: [{ path: 'proposal', key: { proposalCode: 'MX' }, id: 1, outcome: 'unchanged' }],
      proposalParticipants: [],
      labContacts: [],
      proteins: [],
      sessions: [],
      sessionParticipants: [],
    },
    summary: {
      laboratories: zero,
      persons: zero,
      proposal: counts,
      proposalParticipants: zero,
      labContacts: zero,
      proteins: zero,
      sessions: zero,
      sessionParticipants: zero,
    },
    warnings: [],
    dryRun: false,
    reconcile: false,
    elapsedMs: 10,
    ...overrides,
  };
}
