import type { AuthResult } from '../auth/principal.js';
import type { Logger } from '../logger.js';

declare global {
  namespace Express {
    interface Locals {
      requestId: string;
      log: Logger;
      /** The authenticated token's name, for the request log line. */
      principal?: string;
      auth?: AuthResult;
      /** Where the route's input was read from, for the `loc` of a 422 (default: body). */
      inputIn?: 'body' | 'query';
      /** Aborted when the client goes away or the request's deadline passes (http/request-signal.ts). */
      signal?: AbortSignal;
    }
  }
}
