import type { NextFunction, Request, Response } from 'express';
import type { Authenticate } from '../auth/authenticate.js';
import { accessDenied } from '../auth/principal.js';
import type { Scope } from '../auth/scopes.js';
import { PublicError } from '../errors/public-error.js';

/**
 * Authenticates from the Authorization header only (a token in the query string is ignored),
 * before the body is read, so an anonymous 20 MB upload is refused early. `scopes`: what the
 * route needs (none: any valid token, e.g. /metrics); a missing one answers 403 naming it.
 */
export function requireAuth(authenticate: Authenticate, scopes: readonly Scope[]) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const auth = res.locals.auth ?? (await authenticate(req.get('authorization')));
    res.locals.auth = auth;
    if (auth.ok) res.locals.principal = auth.principal.name;
    const denied = accessDenied(auth, scopes);
    if (denied) {
      res.locals.log.warn(
        { reason: auth.ok ? 'scope' : auth.reason, principal: res.locals.principal },
        'access denied',
      );
      next(new PublicError(denied.code, denied.message));
      return;
    }
    next();
  };
}
