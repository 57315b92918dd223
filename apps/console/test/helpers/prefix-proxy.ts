import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A reverse proxy on 127.0.0.1:0 that serves `target` under a path prefix and strips it, as
 * nginx's `location /upsync/ { proxy_pass http://127.0.0.1:8000/; }` does (docs/console.md).
 */
export async function startPrefixProxy(target: string, prefix: string) {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith(prefix)) {
      res.writeHead(404).end();
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: url.slice(prefix.length - 1),
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    /** The proxied root, ending with the prefix (`http://127.0.0.1:1234/upsync/`). */
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
