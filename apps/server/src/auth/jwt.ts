import { errors, jwtVerify } from 'jose';
import * as z from 'zod';
import type { AuthResult } from './principal.js';
import { scopesFromPermissions } from './scopes.js';

export interface JwtOptions {
  /** py-ISPyB's SECRET_KEY (at least 32 bytes: config.ts refuses shorter ones). */
  secret: string;
  /** py-ISPyB's JWT_CODING_ALGORITHM; the only algorithm accepted. */
  algorithm: 'HS256' | 'HS384' | 'HS512';
  /** Oldest `iat` accepted, in seconds (py-ISPyB's TOKEN_EXP_TIME by default): a long `exp` does not outlive it. */
  maxAgeSeconds: number;
  /** Clock skew allowed on `exp`, `nbf` and `iat`, in seconds. */
  clockToleranceSeconds: number;
  /** Required `iss` / `aud` when set. */
  issuer?: string | undefined;
  audience?: string | undefined;
}

/** The claims py-ISPyB puts in a login token. */
const ZPyIspybClaims = z.object({
  login: z.string().min(1),
  personId: z.number().int().nullish(),
  permissions: z.array(z.string()),
  exp: z.number(),
  iat: z.number(),
});

/**
 * Verifies a py-ISPyB user JWT: signature with the configured HMAC algorithm only (so
 * `alg: none` and every other algorithm fail), `exp` and `iat` required, `exp` not past, `iat`
 * neither in the future nor older than the maximum age (both within the clock tolerance),
 * `iss`/`aud` when configured. The login's permissions map to scopes (scopes.ts).
 */
export function createJwtVerifier(options: JwtOptions): (token: string) => Promise<AuthResult> {
  const key = new TextEncoder().encode(options.secret);
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [options.algorithm],
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: options.maxAgeSeconds,
        clockTolerance: options.clockToleranceSeconds,
        ...(options.issuer !== undefined && { issuer: options.issuer }),
        ...(options.audience !== undefined && { audience: options.audience }),
      });
      const claims = ZPyIspybClaims.safeParse(payload);
      if (!claims.success) return { ok: false, reason: 'invalid' };
      return {
        ok: true,
        principal: {
          kind: 'jwt',
          name: `jwt:${claims.data.login}`,
          scopes: scopesFromPermissions(claims.data.permissions),
        },
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
