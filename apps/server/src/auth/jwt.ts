import { errors, jwtVerify } from 'jose';
import * as z from 'zod';
import type { AuthResult } from './principal.js';

export interface JwtOptions {
  /** py-ISPyB's SECRET_KEY. */
  secret: string;
  /** py-ISPyB's JWT_CODING_ALGORITHM; the only algorithm accepted. */
  algorithm: 'HS256' | 'HS384' | 'HS512';
}

/** The claims py-ISPyB puts in a login token. */
const ZPyIspybClaims = z.object({
  login: z.string().min(1),
  personId: z.number().int().optional(),
  permissions: z.array(z.string()),
  exp: z.number(),
});

/**
 * Verifies a py-ISPyB user JWT: signature with the configured HMAC algorithm only (so
 * `alg: none` and every other algorithm fail), an `exp` that is required and not past.
 */
export function createJwtVerifier(options: JwtOptions): (token: string) => Promise<AuthResult> {
  const key = new TextEncoder().encode(options.secret);
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [options.algorithm],
        requiredClaims: ['exp'],
      });
      const claims = ZPyIspybClaims.safeParse(payload);
      if (!claims.success) return { ok: false, reason: 'invalid' };
      return {
        ok: true,
        principal: { kind: 'jwt', name: `jwt:${claims.data.login}`, permissions: claims.data.permissions },
      };
    } catch (error) {
      return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  };
}

/** Three base64url segments: worth trying as a JWT. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}
