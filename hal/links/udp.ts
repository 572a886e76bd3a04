// A UDP receive link: `udp://0.0.0.0:5050` binds that address and port and yields each
// datagram as a chunk — how AIS-catcher and similar receivers feed NMEA over the network.
// Receive only. A datagram that does not end in a line end gets one, so that lines from
// two datagrams are never joined. UDP cannot be paused: while the consumer is behind by
// more than MAX_QUEUED_BYTES, datagrams are dropped and counted.
import { createSocket, type Socket } from 'node:dgram';
import type { ByteLink, LinkOptions, LinkProvider } from '../contract.js';
import { ChunkQueue } from './chunk-queue.js';
import { HalLinkError } from './errors.js';

const MAX_QUEUED_BYTES = 1 << 20;
const NEWLINE = Buffer.from('\n');

class UdpLink implements ByteLink {
  readonly description: string;
  /** Datagrams dropped because the consumer was too far behind (ByteLink.dropped; in a source's status as linkDropped). */
  dropped = 0;
  private readonly queue = new ChunkQueue();
  private closedLocally = false;

  constructor(
    private readonly socket: Socket,
    target: string,
  ) {
    this.description = `udp ${target}`;
    socket.on('message', (datagram: Buffer) => {
      if (this.queue.bytesQueued > MAX_QUEUED_BYTES) {
        this.dropped++;
        return;
      }
      const last = datagram[datagram.length - 1];
      this.queue.push(last === 0x0a || last === 0x0d ? datagram : Buffer.concat([datagram, NEWLINE]));
    });
    socket.on('error', (error) => this.queue.end(this.failure(error.message)));
    socket.on('close', () => this.queue.end(this.failure('closed')));
  }

  chunks(): AsyncIterable<Buffer> {
    return this.queue;
  }

  write(): Promise<void> {
    return Promise.reject(new HalLinkError('canceled', `${this.description}: receive only`));
  }

  close(): Promise<void> {
    this.closedLocally = true;
    this.queue.end(this.failure('closed locally'));
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve(); // already closed
      }
    });
  }

  private failure(reason: string): HalLinkError {
    return new HalLinkError(this.closedLocally ? 'canceled' : 'disconnected', `${this.description}: ${reason}`);
  }
}

export class UdpLinkProvider implements LinkProvider {
  readonly scheme = 'udp';

  open(options: LinkOptions): Promise<ByteLink> {
    const { url } = options;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || '0.0.0.0';
    const port = Number(url.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      return Promise.reject(new HalLinkError('open-failed', `${url.href}: a port is required`));
    }
    const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: true });
    return new Promise((resolve, reject) => {
      const fail = (error: Error): void => {
        socket.close();
        reject(new HalLinkError('open-failed', `udp ${target}: ${error.message}`, { cause: error }));
      };
      socket.once('error', fail);
      socket.bind(port, host, () => {
        socket.off('error', fail);
        resolve(new UdpLink(socket, target));
      });
    });
  }
}
