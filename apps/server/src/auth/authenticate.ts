import { createJwtVerifier, type JwtOptions, looksLikeJwt } from './jwt.js';
import type { AuthResult } from './principal.js';
import { matchServiceToken, type ServiceToken } from './service-tokens.js';

export interface AuthOptions {
  tokens: readonly ServiceToken[];
  jwt?: JwtOptions | undefined;
}

/** Resolves an Authorization header (and nothing else: tokens in query strings are ignored). */
export type Authenticate = (authorization: string | undefined) => Promise<AuthResult>;

export function createAuthenticator(options: AuthOptions): Authenticate {
  const verifyJwt = options.jwt ? createJwtVerifier(options.jwt) : undefined;
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') return { ok: false, reason: 'missing' };
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!match) return { ok: false, reason: 'scheme' };
    const presented = match[1]!;
    const token = matchServiceToken(options.tokens, presented);
    if (token) {
      return {
        ok: true,
        principal: { kind: 'service-token', name: token.name, scopes: token.scopes },
      };
    }
    if (verifyJwt && looksLikeJwt(presented)) return verifyJwt(presented);
    return { ok: false, reason: 'invalid' };
  };
}
