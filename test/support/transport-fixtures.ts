// Shared by the transport tests: ATAK-style events, a logger that records, a bounded wait,
// and a plain TCP server that behaves like a third-party TAK server (no takd code inside).
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { CotEvent } from '../../daemon/codec/event.js';
import { silentLogger, type Logger } from '../../util/logger.js';

/** An ATAK-like PLI (~700 bytes of XML with declaration). */
export function pli(n: number, now = Date.now()): CotEvent {
  return {
    uid: `ANDROID-${n.toString(16).padStart(16, '0')}`,
    type: 'a-f-G-U-C',
    how: 'm-g',
    time: now,
    start: now,
    stale: now + 75_000,
    point: { lat: 39.7141704 + n * 1e-6, lon: -105.2215339, hae: 1615.418, ce: 6.4, le: 9999999 },
    takv: { os: '34', version: '4.10.0.0 (90402c80).1691730052-CIV', device: 'GOOGLE PIXEL 7', platform: 'ATAK-CIV' },
    contact: { endpoint: '192.168.124.206:4242:tcp', callsign: `JULIET-${n}` },
    precisionLocation: { altsrc: 'GPS', geopointsrc: 'GPS' },
    group: { role: 'HQ', name: 'White' },
    status: { battery: 64 },
    track: { course: 264.37051618, speed: 2.57948687 },
    xmlDetail: `<uid Droid="JULIET-${n}"/>`,
  };
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg: string | undefined;
}

export function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (obj: object, msg?: string) => {
    lines.push({ level, obj, msg });
  };
  const logger: Logger & { lines: LogLine[] } = { ...silentLogger, lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

/** Polls until the condition holds; a guard against hangs, not a timing assertion. */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP server written with node:net only; records what each connection sent. */
export class RawServer {
  readonly server: Server;
  readonly sockets: Socket[] = [];
  received = Buffer.alloc(0);
  connections = 0;
  onConnection: ((socket: Socket) => void) | undefined;
  onData: ((socket: Socket, chunk: Buffer) => void) | undefined;

  constructor() {
    this.server = createServer((socket) => {
      this.connections += 1;
      this.sockets.push(socket);
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => {
        this.received = Buffer.concat([this.received, chunk]);
        this.onData?.(socket, chunk);
      });
      this.onConnection?.(socket);
    });
  }

  listen(port = 0, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve) => this.server.listen(port, host, () => resolve((this.server.address() as AddressInfo).port)));
  }

  get text(): string {
    return this.received.toString('utf8');
  }

  /** Closes the listening socket and every connection, as a crash would. */
  async kill(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.length = 0;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Counts occurrences of `needle` in `text`. */
export function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
