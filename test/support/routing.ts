/**
 * Test helpers for routing (unit and gateway tests): events made to order, an output target
 * that records what it got, and a stand-in TAK Server on loopback.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { CotEvent } from '../../daemon/codec/event.js';
import { CotStreamDecoder } from '../../daemon/codec/stream.js';
import type { OutputTarget } from '../../daemon/routing/output-link.js';

export function makeEvent(uid: string, type: string, time: number, extra: Partial<CotEvent> = {}): CotEvent {
  return {
    uid,
    type,
    how: type.startsWith('a-') ? 'm-g' : 'h-g-i-g-o',
    time,
    start: time,
    stale: time + 60_000,
    point: { lat: 39.7, lon: -105.2, hae: 1600, ce: 5, le: 9999999 },
    ...extra,
  };
}

export class RecordingTarget implements OutputTarget {
  readonly sent: CotEvent[] = [];
  up = true;

  constructor(readonly name: string) {}

  isUp(): boolean {
    return this.up;
  }

  send(event: CotEvent): boolean {
    this.sent.push(event);
    return true;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  uids(): string[] {
    return this.sent.map((event) => event.uid);
  }
}

/** A stand-in TAK Server written with node:net and the codec's stream decoder: records what arrives. */
export interface Arrival {
  event: CotEvent;
  /** 1 for the first connection, 2 after the first reconnect, … */
  connection: number;
  receivedAt: number;
}

export class CapturingServer {
  readonly arrivals: Arrival[] = [];
  connections = 0;
  /** Pings received (not in arrivals). */
  pings = 0;
  /** Bytes received over all connections. */
  bytes = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async listen(port = 0): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  /** As a crash or a dead backhaul: every connection reset, nothing listening. */
  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  uids(): string[] {
    return this.arrivals.map((arrival) => arrival.event.uid);
  }

  private accept(socket: Socket): void {
    this.connections += 1;
    const connection = this.connections;
    this.sockets.add(socket);
    const decoder = new CotStreamDecoder({
      onEvent: (event) => {
        // Link control (takd's pings, for its keepalive and delivery proof) is not traffic.
        if (event.type.startsWith('t-x-c-t')) this.pings += 1;
        else this.arrivals.push({ event, connection, receivedAt: Date.now() });
      },
      onError: () => undefined,
    });
    socket.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      decoder.push(chunk);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }
}

/** Polls until the condition holds; a guard against hangs, not a timing assertion. */
export { waitUntil } from './wait.js';
