import { once } from 'node:events';
import net from 'node:net';

export interface CuttableProxy {
  port: number;
  /** Refuses new connections and drops the open ones: the database "goes away" for real. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
}

/** A TCP hop to `host:port` (MariaDB) that a test can cut and restore. */
export async function cuttableProxy(host: string, port: number): Promise<CuttableProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const listen = async (listenPort: number) => {
    const s = net.createServer((client) => {
      const upstream = net.connect(port, host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    s.listen(listenPort, '127.0.0.1');
    await once(s, 'listening');
    server = s;
    return (s.address() as net.AddressInfo).port;
  };
  const proxyPort = await listen(0);
  return {
    port: proxyPort,
    cut: async () => {
      const s = server;
      server = undefined;
      if (!s) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
    restore: async () => {
      if (!server) await listen(proxyPort);
    },
  };
}
