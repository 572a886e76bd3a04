// A TCP client link: `tcp://host:port` (a receiver's NMEA-over-TCP port, gpsd, a serial
// server). The peer closing or resetting the connection counts as the device going away.
import { connect, type Socket } from 'node:net';
import type { ByteLink, LinkOptions, LinkProvider } from '../contract.js';
import { ChunkQueue } from './chunk-queue.js';
import { HalLinkError } from './errors.js';

const CONNECT_TIMEOUT_MS = 5000;

class TcpLink implements ByteLink {
  readonly description: string;
  private readonly queue: ChunkQueue;
  private closedLocally = false;

  constructor(private readonly socket: Socket, target: string) {
    this.description = `tcp ${target}`;
    this.queue = new ChunkQueue({ pause: () => socket.pause(), resume: () => socket.resume() });
    socket.on('data', (chunk: Buffer) => this.queue.push(chunk));
    socket.on('error', (error) => this.queue.end(this.gone(error.message)));
    socket.on('end', () => this.queue.end(this.gone('closed by peer')));
    socket.on('close', () => this.queue.end(this.gone('closed')));
  }

  chunks(): AsyncIterable<Buffer> {
    return this.queue;
  }

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed || !this.socket.writable) {
        reject(this.gone('not connected'));
        return;
      }
      this.socket.write(bytes, (error) => (error ? reject(this.gone(error.message)) : resolve()));
    });
  }

  close(): Promise<void> {
    this.closedLocally = true;
    this.queue.end(this.gone('closed locally'));
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }

  private gone(reason: string): HalLinkError {
    return new HalLinkError(this.closedLocally ? 'canceled' : 'disconnected', `${this.description}: ${reason}`);
  }
}

export class TcpLinkProvider implements LinkProvider {
  readonly scheme = 'tcp';

  open(options: LinkOptions): Promise<ByteLink> {
    const { url } = options;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
    const port = Number(url.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      return Promise.reject(new HalLinkError('open-failed', `${url.href}: a port is required`));
    }
    const target = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 10_000);
      const timer = setTimeout(() => socket.destroy(new Error('connect timeout')), CONNECT_TIMEOUT_MS);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        reject(new HalLinkError('open-failed', `tcp ${target}: ${error.message}`, { cause: error }));
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        resolve(new TcpLink(socket, target));
      });
    });
  }
}
