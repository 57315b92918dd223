import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's headers with a CSP that the offline docs page (/docs: swagger-ui's own scripts, styles
 * and data: icons, all from this server) works under. No upgrade-insecure-requests: the service
 * is often reached over plain HTTP on a facility network, where upgrading the docs' assets to
 * https would break the page.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        // swagger-ui's page has <style> blocks and sets style attributes
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
        'upgrade-insecure-requests': null,
      },
    },
    // HSTS belongs to the TLS terminator (the proxy), not to a service that may speak plain HTTP
    strictTransportSecurity: false,
  });
}

/** Answers carrying personal data (read-back, history, sync results) are never stored by caches. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
