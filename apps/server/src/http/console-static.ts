import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Response, type Router } from 'express';

/** Content-hashed build output: cached for a year, never revalidated. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The built console of the `@upsync/console` workspace package (its dist/), or undefined when not installed. */
export function consoleDistDir(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('@upsync/console/package.json');
    return path.join(path.dirname(manifest), 'dist');
  } catch {
    return undefined;
  }
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>upsync console: not built</title></head>
<body><h1>The upsync console is not built</h1>
<p>This server serves the console from the <code>dist/</code> folder of the <code>@upsync/console</code>
package (or <code>UPSYNC_CONSOLE_DIR</code>), and found no <code>index.html</code> there.</p>
<p>Build it with <code>npm run build</code> at the repository root (or
<code>npm run build -w @upsync/console</code>), then reload this page. The API works without it.</p>
</body></html>
`;

/**
 * The operations console at /console/: its built files (under the server's CSP: the page must
 * have no inline script), hashed assets cached for good, index.html for every client-side route,
 * and a 503 page saying how to build it when it is not built. Public: the page asks for a token.
 */
export function consoleRoutes(dir: string | undefined): Router {
  const router = express.Router();
  const index = dir && path.join(dir, 'index.html');
  const sendIndex = (res: Response) => {
    if (!index || !existsSync(index)) {
      res.status(503).type('html').setHeader('Cache-Control', 'no-store').send(NOT_BUILT);
      return;
    }
    // the page names the current assets: always revalidated
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
  // relative, as /docs: keeps working behind a proxy that serves upsync under a prefix
  router.get('/console', (req, res, next) => {
    if (req.originalUrl.split('?')[0]!.endsWith('/')) return next();
    res.redirect(301, 'console/');
  });
  if (dir) {
    router.use(
      '/console',
      express.static(dir, {
        index: false,
        redirect: false,
        fallthrough: true,
        setHeaders(res, file) {
          const underAssets = path.relative(path.join(dir, 'assets'), file);
          const hashed = !underAssets.startsWith('..') && !path.isAbsolute(underAssets);
          res.setHeader('Cache-Control', hashed ? IMMUTABLE : 'no-cache');
        },
      }),
    );
  }
  // a client-side route (no file extension) gets the page; a missing file stays a 404
  router.get(/^\/console(\/.*)?$/, (req, res, next) => {
    if (path.extname(req.path) !== '') return next();
    sendIndex(res);
  });
  return router;
}
