/**
 * Listen and close for takd's own HTTP(S) servers (Marti data packages, enrollment): the
 * first listen error rejects (a port in use, an address not ours), later ones are logged.
 */
import type { Server } from 'node:net';
import type { Logger } from './logger.js';

/** Listens on host:port; resolves with the port it got (port 0: a free one). */
export async function listenHttp(server: Server, host: string, port: number, logger: Logger, name: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error({ error: error.message }, `${name} error`));
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : port;
}

/** Stops accepting and closes every connection, idle or not; resolves once all are gone. */
export async function closeHttp(server: Server & { closeAllConnections(): void }): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
