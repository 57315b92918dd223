import express, { type Router } from 'express';
import swaggerUi from 'swagger-ui-express';

/** Relative to /docs/, so the page keeps working behind a reverse proxy under a prefix. */
const SPEC_URL = '../openapi.json';

/**
 * Swagger UI at /docs/, its assets served from node_modules (swagger-ui-dist): works with no
 * internet. The init script is per router (serveFiles), not swagger-ui-express's global one.
 */
export function docsRoutes(): Router {
  const router = express.Router();
  const options = {
    swaggerUrl: SPEC_URL,
    customSiteTitle: 'upsync API',
    // validatorUrl: null — the default badge calls validator.swagger.io (no internet here).
    // persistAuthorization: false — the bearer token is not kept in the browser's localStorage
    swaggerOptions: { persistAuthorization: false, displayRequestDuration: true, validatorUrl: null },
  };
  // Relative asset URLs need the trailing slash: /docs → docs/ (relative, proxy-safe).
  router.get('/docs', (req, res, next) => {
    if (req.originalUrl.split('?')[0]!.endsWith('/')) return next();
    res.redirect(301, 'docs/');
  });
  router.use('/docs', swaggerUi.serveFiles(undefined, options), swaggerUi.setup(undefined, options));
  return router;
}
