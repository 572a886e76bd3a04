/**
 * wss+listen://ADDR:PORT/PATH — websocket clients (browser-based TAK clients, TAK Server
 * style /takproto/1 clients) join the box: TAK protocol 1 frames, one per binary message.
 *
 * The same door and CA rule as tls+listen://: every TCP connection passes the listener
 * limits (listener-limits.ts) before its TLS handshake; a client certificate from
 * `client_ca` is required unless client_cert = optional; TLS refusals and closes are
 * counted by reason. The TLS/HTTP server never listens itself: the TCP server hands it what
 * it admitted. Clients are hub members like tcp/tls clients (when the listener both sends
 * and receives). A request for another path gets 404 and is closed. The door, the sweep
 * and the hub are ../listener-core.ts, shared with tcp+listen:// and tls+listen://.
 */
import type { Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { WebSocketServer } from 'ws';
import { TransportConfigError } from '../errors.js';
import { ListenerCore } from '../listener-core.js';
import { DEFAULTS, type TransportOptions } from '../options.js';
import { loadTlsServerOptions, optionalClientCertWarning } from '../tls-options.js';
import type { Transport } from '../types.js';
import { formatAddress, type WssSpec } from '../url.js';
import { nodeHttps } from '../marti/http.js';
import { loadWs } from './load-ws.js';
import { WssSession } from './session.js';

const MAX_PAYLOAD_FACTOR = 16;

export class WssListener extends ListenerCore<WssSession> implements Transport {
  private wss: WebSocketServer | undefined;
  private badUpgrades = 0;

  constructor(
    private readonly spec: WssSpec,
    options: TransportOptions = {},
  ) {
    super(options.name ?? `wss+listen://${formatAddress(spec.host, spec.port)}${spec.path}`, spec.direction, options, 'websocket client');
  }

  /** Throws TransportConfigError when TLS material cannot be loaded. */
  start(): void {
    if (this.server) return;
    this.closing = false;
    const hub = this.hubMembership();
    if (hub?.bindIdentity) throw new TransportConfigError('bind_identity', `${this.name}: bind_identity is only on tls+listen://`);
    const warning = optionalClientCertWarning(this.options.tls ?? {});
    if (warning !== undefined) this.logger.warn({ transport: this.name }, warning);
    const tlsOptions = { ...loadTlsServerOptions(this.options.tls ?? {}), handshakeTimeout: this.admission.limits.handshakeTimeoutMs };
    const WebSocketClass = loadWs();
    this.wss = new WebSocketClass.WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: (this.options.maxEventBytes ?? DEFAULTS.maxEventBytes) * MAX_PAYLOAD_FACTOR });
    const httpsServer = nodeHttps().createServer(tlsOptions, (_request, response) => {
      response.writeHead(426, { connection: 'close', upgrade: 'websocket' }).end();
    });
    // The upgrade request follows the handshake: a refused certificate closes the connection before it.
    httpsServer.on('secureConnection', (socket: TLSSocket) => this.handshakeDone(socket));
    httpsServer.on('tlsClientError', (error: Error, socket: TLSSocket) => this.onTlsClientError(error, socket));
    httpsServer.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => this.onUpgrade(request, socket, head));
    this.handshakeServer = httpsServer;
    this.startServer();
  }

  protected bindAddress(): { host: string; port: number } {
    return this.spec;
  }

  protected listeningMessage(): string {
    return `listening on ${formatAddress(this.spec.host, this.port ?? this.spec.port)}${this.spec.path}`;
  }

  /** A websocket session has no partial-event deadline: one message is one event. */
  protected override sweepDeadlines(): number[] {
    const { firstEventTimeoutMs, idleTimeoutMs, stallTimeoutMs } = this.admission.limits;
    return [firstEventTimeoutMs, idleTimeoutMs, stallTimeoutMs];
  }

  private onUpgrade(request: IncomingMessage, socket: Socket, head: Buffer): void {
    socket.on('error', () => undefined);
    const path = (request.url ?? '/').split('?')[0];
    if (this.closing || socket.destroyed || path !== this.spec.path || this.wss === undefined) {
      this.badUpgrades += 1;
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      if (this.closing) {
        ws.terminate();
        return;
      }
      const session = new WssSession(ws, socket, this.sessionContext(), Date.now());
      this.addSession(session, socket, (closed) => ws.on('close', closed));
    });
  }

  protected override onClientsClosed(): void {
    this.wss?.close();
  }

  protected statusProtocol(): 0 | 1 {
    return 1;
  }

  protected override extraCounters(): Record<string, number> {
    return { badUpgrades: this.badUpgrades };
  }
}
