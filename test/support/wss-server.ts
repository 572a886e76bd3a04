// A TAK-Server-like WebSocket endpoint for tests (tak-server-api.md §5), built on node:https
// and `ws`: wss://127.0.0.1:PORT/takproto/1, one TAK protocol v1 stream frame per binary
// message. Like TAK Server it asks for a client certificate in TLS and answers the upgrade
// with 403 when none from its CA was presented.
import { createServer, type Server } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CotEvent } from '../../daemon/codec/event.js';
import { decodeTakMessage, encodeProtoStream, ProtoStreamDeframer } from '../../daemon/codec/proto/index.js';
import type { TestPki } from './certs.js';

export interface WssTestServerOptions {
  /** 'normal' (default); 'close': accept, then close at once; 'silent': never answer the upgrade; 'no-pong': never answer pings. */
  behaviour?: 'normal' | 'close' | 'silent' | 'no-pong';
  /** Refuse every upgrade with this HTTP status. */
  refuseWith?: number;
}

export class WssTestServer {
  readonly received: CotEvent[] = [];
  readonly clients = new Set<WebSocket>();
  readonly rawSockets = new Set<Socket>();
  upgrades = 0;
  badMessages = 0;
  pings = 0;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  port = 0;

  constructor(
    private readonly pki: TestPki,
    private readonly options: WssTestServerOptions = {},
  ) {}

  async listen(): Promise<number> {
    return this.listenOn(0);
  }

  async listenOn(port: number): Promise<number> {
    const server = createServer({
      cert: readFileSync(this.pki.serverCert),
      key: readFileSync(this.pki.serverKey),
      ca: readFileSync(this.pki.caCert),
      requestCert: true,
      rejectUnauthorized: false,
    });
    const behaviour = this.options.behaviour ?? 'normal';
    const wss = new WebSocketServer({ noServer: true, autoPong: behaviour !== 'no-pong' });
    server.on('connection', (socket: Socket) => {
      this.rawSockets.add(socket);
      socket.on('close', () => this.rawSockets.delete(socket));
    });
    server.on('tlsClientError', () => undefined);
    server.on('upgrade', (request, socket, head) => {
      this.upgrades += 1;
      socket.on('error', () => undefined);
      if (behaviour === 'silent') return;
      const authorized = (request.socket as TLSSocket).authorized;
      const refusal = this.options.refuseWith ?? (authorized ? undefined : 403);
      if (refusal !== undefined || request.url !== '/takproto/1') {
        socket.end(`HTTP/1.1 ${refusal ?? 404} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => this.onClient(ws));
    });
    this.server = server;
    this.wss = wss;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  private onClient(ws: WebSocket): void {
    if (this.options.behaviour === 'close') {
      ws.terminate();
      return;
    }
    this.clients.add(ws);
    ws.on('close', () => this.clients.delete(ws));
    ws.on('error', () => undefined);
    ws.on('ping', () => (this.pings += 1));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const deframer = new ProtoStreamDeframer({ maxBytes: 1 << 20 });
      let frames = 0;
      deframer.push(
        data,
        (payload: Buffer) => {
          frames += 1;
          try {
            const event = decodeTakMessage(payload).event;
            if (event) this.received.push(event);
            else this.badMessages += 1;
          } catch {
            this.badMessages += 1;
          }
        },
        () => (this.badMessages += 1),
      );
      if (!isBinary || frames !== 1 || deframer.midFrame) this.badMessages += 1;
    });
  }

  /** Sends one event to every client, as one binary message. */
  broadcast(event: CotEvent): void {
    this.sendRaw(encodeProtoStream(event));
  }

  sendRaw(data: Buffer | string, binary = true): void {
    for (const ws of this.clients) ws.send(data, { binary });
  }

  async close(): Promise<void> {
    for (const ws of this.clients) ws.terminate();
    for (const socket of this.rawSockets) socket.destroy();
    this.wss?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
