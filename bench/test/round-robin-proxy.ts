import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';

/** A load balancer in miniature, for the rolling-restart test. */
export interface RoundRobinProxy {
  port: number;
  /** Connections handed to each backend so far. */
  connections: number[];
  /** How often a backend's /ready was seen answering something else than 200. */
  notReady: number[];
  close(): Promise<void>;
}

/**
 * A TCP round-robin proxy on 127.0.0.1 in front of `ports`, as a load balancer does it: each new
 * client connection goes to the next backend whose /ready answered 200 at its last probe (every
 * `probeMs`); a backend that refuses the connection is skipped for the next one. Keep-alive
 * connections stay on their backend until either side closes them.
 */
export async function roundRobinProxy(
  ports: readonly number[],
  readyHeaders: Record<string, string>,
  probeMs = 200,
): Promise<RoundRobinProxy> {
  const ready = ports.map(() => true);
  const connections = ports.map(() => 0);
  const notReady = ports.map(() => 0);
  const sockets = new Set<net.Socket>();
  let next = 0;
  let closed = false;

  const probe = (i: number) =>
    new Promise<void>((resolve) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port: ports[i],
          path: '/ready',
          headers: readyHeaders,
          timeout: 1_000,
          agent: false,
        },
        (res) => {
          ready[i] = res.statusCode === 200;
          if (!ready[i]) notReady[i]!++;
          res.resume();
          resolve();
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => {
        ready[i] = false;
        resolve();
      });
    });
  const prober = setInterval(() => {
    for (let i = 0; i < ports.length; i++) void probe(i);
  }, probeMs);

  /** Backends in the order to try: the ready ones from the next in turn, then the others. */
  const order = () => {
    const start = next++ % ports.length;
    const rotated = ports.map((_, k) => (start + k) % ports.length);
    return [...rotated.filter((i) => ready[i]), ...rotated.filter((i) => !ready[i])];
  };

  const server = net.createServer((client) => {
    client.pause();
    sockets.add(client);
    client.on('error', () => undefined);
    client.on('close', () => sockets.delete(client));
    const candidates = order();
    const attempt = () => {
      const i = candidates.shift();
      if (i === undefined || closed) {
        client.destroy();
        return;
      }
      const upstream = net.connect(ports[i]!, '127.0.0.1');
      let connected = false;
      upstream.on('error', () => {
        // refused (stopped, restarting): the next backend; once connected, the client's too
        if (connected) client.destroy();
        else attempt();
      });
      upstream.once('connect', () => {
        connected = true;
        connections[i]!++;
        sockets.add(upstream);
        upstream.on('close', () => {
          sockets.delete(upstream);
          client.end();
        });
        client.on('close', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    };
    attempt();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    connections,
    notReady,
    close: async () => {
      closed = true;
      clearInterval(prober);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
