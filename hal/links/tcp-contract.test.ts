// The link contract suite against a real TCP connection on loopback. "Unplug" is the server
// dropping the connection and no longer listening; "replug" listens again on the same port.
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { waitUntil } from '../../test/support/wait.js';
import { linkContractSuite } from './contract-suite.js';
import { TcpLinkProvider } from './tcp.js';

linkContractSuite('tcp', async () => {
  const provider = new TcpLinkProvider();
  const sockets: Socket[] = [];
  const received: Buffer[] = [];
  let server: Server | undefined;
  let port = 0;
  const listen = async (): Promise<void> => {
    server = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', (d: Buffer) => received.push(d));
      socket.on('error', () => undefined);
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as { port: number }).port;
  };
  const unplug = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    if (server !== undefined) {
      const closed = once(server, 'close');
      server.close();
      await closed;
      server = undefined;
    }
  };
  await listen();
  return {
    open: () => provider.open({ url: new URL(`tcp://127.0.0.1:${port}`) }),
    deviceSend: async (bytes) => {
      await waitUntil(() => sockets.length > 0, 'the server accepted the link', 5000);
      sockets[sockets.length - 1].write(bytes);
    },
    deviceReceived: () => Buffer.concat(received),
    unplug,
    replug: listen,
    cleanup: unplug,
  };
});
