// A TAK-Server-like REST endpoint for the marti:// client (tak-server-api.md §5), on
// node:https (or node:http): POST /Marti/api/injectors/cot/uid takes {"uid","toInject"},
// GET /Marti/api/cot/sa?start=…&end=… answers the events stored in that window as XML.
// Like TAK Server it asks for a client certificate in TLS and answers 403 without one from its CA.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TestPki } from './certs.js';

export type MartiBehaviour = 'normal' | 'close' | 'silent' | 'error-500' | 'oversize' | 'malformed';

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export class MartiRestServer {
  /** What the injector received. */
  readonly injected: { uid: string; toInject: string }[] = [];
  /** Events the SA endpoint serves: the time they count as received, and their XML. */
  readonly sa: { at: number; xml: string }[] = [];
  readonly windows: { start: number; end: number }[] = [];
  /** Served in every window whatever its time (a server that filters by event time, not arrival). */
  readonly everyPoll: string[] = [];
  behaviour: MartiBehaviour = 'normal';
  connections = 0;
  requests = 0;
  badRequests = 0;
  port = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly pki: TestPki | undefined) {}

  async listen(port = 0): Promise<number> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.handle(req, res);
    const server = this.pki
      ? createHttpsServer({ cert: readFileSync(this.pki.serverCert), key: readFileSync(this.pki.serverKey), ca: readFileSync(this.pki.caCert), requestCert: true, rejectUnauthorized: false }, handler)
      : createHttpServer(handler);
    server.keepAliveTimeout = 30_000;
    server.on(this.pki ? 'secureConnection' : 'connection', (socket: Socket) => {
      this.connections += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      if (this.behaviour === 'close') socket.destroy();
    });
    server.on('tlsClientError', () => undefined);
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests += 1;
    if (this.behaviour === 'silent') return;
    if (this.behaviour === 'error-500') {
      res.writeHead(500).end();
      return;
    }
    if (this.pki && !(req.socket as TLSSocket).authorized) {
      res.writeHead(403, 'Forbidden').end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/Marti/api/injectors/cot/uid') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        try {
          const parsed = JSON.parse(body) as { uid?: unknown; toInject?: unknown };
          if (typeof parsed.uid !== 'string' || typeof parsed.toInject !== 'string' || !/^<event[\s>]/.test(parsed.toInject)) throw new Error('bad');
          this.injected.push({ uid: parsed.uid, toInject: parsed.toInject });
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } catch {
          this.badRequests += 1;
          res.writeHead(400).end();
        }
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/Marti/api/cot/sa') {
      const start = url.searchParams.get('start') ?? '';
      const end = url.searchParams.get('end') ?? '';
      if (!TIME.test(start) || !TIME.test(end)) {
        this.badRequests += 1;
        res.writeHead(400).end();
        return;
      }
      const window = { start: Date.parse(start), end: Date.parse(end) };
      this.windows.push(window);
      res.writeHead(200, { 'content-type': 'application/xml' });
      if (this.behaviour === 'oversize') {
        res.end(Buffer.alloc(17 * 1024 * 1024, 0x20));
        return;
      }
      if (this.behaviour === 'malformed') {
        res.end('<events><event uid="x" broken</event><not-xml');
        return;
      }
      const inWindow = [...this.sa.filter((e) => e.at >= window.start && e.at <= window.end).map((e) => e.xml), ...this.everyPoll];
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<events>${inWindow.join('')}</events>`);
      return;
    }
    res.writeHead(404).end();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
