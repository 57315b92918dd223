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
    }
  }
}
