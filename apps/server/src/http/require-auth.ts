import type { NextFunction, Request, Response } from 'express';
import type { Authenticate } from '../auth/authenticate.js';
import { syncAccessDenied } from '../auth/principal.js';
import { PublicError } from '../errors/describe-error.js';
import { sendError } from './send-error.js';

/**
 * Authenticates from the Authorization header only (a token in the query string is ignored),
 * before the body is read, so an anonymous 20 MB upload is refused early.
 */
export function requireAuth(
  authenticate: Authenticate,
  options: { permission: boolean } = { permission: true },
) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const auth = await authenticate(req.get('authorization'));
    res.locals.auth = auth;
    if (auth.ok) res.locals.principal = auth.principal.name;
    const denied = options.permission ? syncAccessDenied(auth) : auth.ok ? undefined : syncAccessDenied(auth);
    if (denied) {
      res.locals.log.warn(
        { reason: auth.ok ? 'permission' : auth.reason, principal: res.locals.principal },
        'access denied',
      );
      sendError(res, new PublicError(denied.code, denied.message));
      return;
    }
    next();
  };
}
