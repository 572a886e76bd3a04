// A serial port link: `serial:///dev/serial/by-id/usb-…?baud=9600`. The only file that
// imports serialport. Unplugging the device (or the pty going away) ends chunks() with
// `disconnected`.
import { SerialPort } from 'serialport';
import type { ByteLink, LinkOptions, LinkProvider } from '../contract.js';
import { ChunkQueue } from './chunk-queue.js';
import { HalLinkError } from './errors.js';

const DEFAULT_BAUD = 4800;

class SerialLink implements ByteLink {
  readonly description: string;
  private readonly queue: ChunkQueue;
  private closedLocally = false;

  constructor(private readonly port: SerialPort, path: string, baud: number) {
    this.description = `serial ${path} @${baud}`;
    this.queue = new ChunkQueue({ pause: () => port.pause(), resume: () => port.resume() });
    port.on('data', (chunk: Buffer) => this.queue.push(chunk));
    port.on('error', (error: Error) => this.queue.end(this.gone(error.message)));
    port.on('close', (error: (Error & { disconnected?: boolean }) | null) =>
      this.queue.end(this.gone(error?.disconnected ? 'device removed' : 'closed')),
    );
  }

  chunks(): AsyncIterable<Buffer> {
    return this.queue;
  }

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.port.isOpen) {
        reject(this.gone('not open'));
        return;
      }
      this.port.write(bytes, (error) => {
        if (error) reject(this.gone(error.message));
        else this.port.drain(() => resolve());
      });
    });
  }

  close(): Promise<void> {
    this.closedLocally = true;
    this.queue.end(this.gone('closed locally'));
    if (!this.port.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.port.close(() => resolve()));
  }

  private gone(reason: string): HalLinkError {
    return new HalLinkError(this.closedLocally ? 'canceled' : 'disconnected', `${this.description}: ${reason}`);
  }
}

export class SerialLinkProvider implements LinkProvider {
  readonly scheme = 'serial';

  open(options: LinkOptions): Promise<ByteLink> {
    const path = decodeURIComponent(options.url.pathname);
    const baud = options.baud ?? Number(options.url.searchParams.get('baud') ?? DEFAULT_BAUD);
    if (!Number.isInteger(baud) || baud <= 0) {
      return Promise.reject(new HalLinkError('open-failed', `${options.url.href}: bad baud`));
    }
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path, baudRate: baud, autoOpen: false });
      port.open((error) => {
        if (error) reject(new HalLinkError('open-failed', `${path}: ${error.message}`, { cause: error }));
        else resolve(new SerialLink(port, path, baud));
      });
    });
  }
}

/** serialport's own device list (it runs `udevadm`; callers check that it exists first). */
export async function serialportList(): Promise<{ path: string; vendorId?: string; productId?: string; manufacturer?: string; serialNumber?: string }[]> {
  return SerialPort.list();
}
