/**
 * The optional local HTTP endpoint ([status] http = 127.0.0.1:8080): GET /health answers
 * 200 or 503 with a one-line JSON summary, GET /metrics the Prometheus text, /status the
 * same JSON as status.json; everything else is the console's (daemon/console: the REST API
 * under /api and the page), loaded with this module.
 *
 * Access (daemon/console/access.ts): a loopback address needs nothing; bound off loopback,
 * or with require_token, every path but /health needs the bearer token or, served over
 * HTTPS with client_ca, a client certificate from that CA (client_cert = required: the
 * certificate only, checked in the handshake). Every client address has a request budget;
 * every response carries a strict Content-Security-Policy, naming the tile server's origin
 * ([status] tiles) as the one other place images may come from.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { TakdConfig } from '../../config/view.js';
import { bearerMatches, ClientRateLimiter, defaultTokenFile, ensureToken, isLoopbackHost } from '../console/access.js';
import { createConsole, type ConsoleHooks } from '../console/index.js';
import type { Logger } from '../log.js';
import { parseTileUrl } from '../../config/tile-url.js';
import { guardHttpDoor } from '../transports/http-door.js';
import { ListenerAdmission, resolveListenerLimits } from '../transports/listener-limits.js';
import { listenerCertificateProblem, loadTlsServerOptions, type TlsSettings } from '../transports/tls-options.js';
import { prometheusText } from './metrics.js';
import { isHealthy, type StatusSnapshot } from './status.js';

export function splitHostPort(hostport: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(hostport);
  if (!match) throw new Error(`bad host:port '${hostport}'`);
  return { host: match[1] ?? match[2] ?? '', port: Number(match[3]) };
}

/** On every response: nothing from elsewhere, no inline script, no framing, no sniffing. The headers, with the tile server's origin ([status] tiles) as the one other place images may come from. */
export function securityHeaders(tileOrigin?: string): Readonly<Record<string, string>> {
  return {
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:${tileOrigin ? ` ${tileOrigin}` : ''}; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-resource-policy': 'same-origin',
  };
}

export interface StatusHttpOptions {
  settings: TakdConfig['status'] & { http: string };
  snapshot: () => StatusSnapshot;
  /** The console's hooks into the daemon; without them only /health, /metrics, /status. */
  console?: Omit<ConsoleHooks, 'snapshot'>;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}

export interface StatusHttp {
  server: Server | HttpsServer;
  /** Whether requests need the bearer token (or, with client_ca, a client certificate from it). */
  tokenRequired: boolean;
  /** How a client gets in, as logged at start. */
  access: string;
  /** The door's counters: connections now, refusals and TLS refusals by reason. */
  counters(): Record<string, number>;
  close(): Promise<void>;
}

export async function startStatusHttp(options: StatusHttpOptions): Promise<StatusHttp> {
  const { settings, snapshot, logger } = options;
  const { host, port } = splitHostPort(settings.http);
  const tls: TlsSettings | undefined = settings.tls;
  // Checked before anything listens: a wrong file or password fails the start, naming the key.
  const tlsOptions = tls === undefined ? undefined : loadTlsServerOptions(tls);
  const certAccepted = tls?.clientCa !== undefined;
  const certRequired = certAccepted && tls?.clientCert === 'required';
  const tileOrigin = settings.tiles === undefined ? undefined : parseTileUrl(settings.tiles).origin;
  const headers = securityHeaders(tileOrigin);
  // A certificate the TLS handshake already demanded is access enough: no token then.
  const tokenRequired = !certRequired && (settings.requireToken === true || !isLoopbackHost(host));
  let token: string | undefined;
  let access: string;
  if (tokenRequired) {
    const file = settings.tokenFile ?? defaultTokenFile(options.env);
    const made = ensureToken(file);
    token = made.token;
    access = certAccepted ? `a client certificate from ${tls?.clientCa} or the bearer token (all but /health); \`takd token\` prints the token` : 'the bearer token (all but /health); `takd token` prints it';
    logger?.info({ http: settings.http, https: tls !== undefined, tokenFile: file, created: made.created, clientCa: tls?.clientCa }, `the HTTP endpoint asks for ${access}`);
  } else if (certRequired) {
    access = `a client certificate from ${tls?.clientCa} (HTTPS; no token)`;
    logger?.info({ http: settings.http, https: true, clientCa: tls?.clientCa }, `the HTTP endpoint asks for ${access}`);
  } else {
    access = 'nothing (loopback)';
    logger?.info({ http: settings.http, https: tls !== undefined }, 'the HTTP endpoint is on loopback: no token asked');
  }
  if (tileOrigin !== undefined) logger?.info({ tiles: settings.tiles }, `the console map draws tiles from ${tileOrigin} (the page may load images from there)`);
  const limiter = new ClientRateLimiter(settings.apiRatePerMinute ?? 600);
  const console = options.console ? createConsole({ ...options.console, snapshot }, { tiles: settings.tiles, tilesAttribution: settings.tilesAttribution }) : undefined;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    const url = new URL(request.url ?? '/', 'http://takd.invalid');
    const path = url.pathname;
    const wait = limiter.take(request.socket.remoteAddress ?? '?');
    if (wait > 0) {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(wait) }).end(`${JSON.stringify({ error: 'too many requests', reason: `more than ${settings.apiRatePerMinute ?? 600} a minute from this address; retry in ${wait} s` })}\n`);
      request.resume();
      return;
    }
    const socket = request.socket as Partial<TLSSocket>;
    // client_cert = optional: no certificate is fine, one from another CA is not.
    const badCertificate = tls !== undefined && certAccepted && socket.getPeerCertificate !== undefined ? listenerCertificateProblem(tls, socket as TLSSocket) : undefined;
    if (badCertificate !== undefined) {
      response.writeHead(401, { 'content-type': 'application/json' }).end(`${JSON.stringify({ error: 'unauthorized', reason: `the client certificate is not from this box's CA (client_ca): ${badCertificate}` })}\n`);
      request.resume();
      return;
    }
    const byCertificate = certAccepted && socket.authorized === true;
    if (token !== undefined && path !== '/health' && !byCertificate && !bearerMatches(request.headers.authorization, token)) {
      const reason = certAccepted ? 'present a client certificate from this box\'s CA, or send Authorization: Bearer TOKEN (`takd token` on the box prints it)' : 'send Authorization: Bearer TOKEN (`takd token` on the box prints it)';
      response.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="takd"' }).end(`${JSON.stringify({ error: 'unauthorized', reason })}\n`);
      request.resume();
      return;
    }
    const read = request.method === 'GET' || request.method === 'HEAD';
    if (read && path === '/health') {
      const current = snapshot();
      const healthy = isHealthy(current);
      const failing = current.components.filter((c) => c.state !== 'connected' && c.state !== 'ended').map((c) => `${c.id}: ${c.detail}`);
      response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify({ healthy, ready: current.ready, problems: failing })}\n`);
    } else if (read && path === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(prometheusText(snapshot()));
    } else if (read && path === '/status') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify(snapshot(), null, 2)}\n`);
    } else if (console !== undefined && (await console.handle(request, response, url))) {
      // answered by the console
    } else if (!read && (path === '/health' || path === '/metrics' || path === '/status')) {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`try /health, /metrics or /status${console ? ', /api/openapi.json' : ''}\n`);
    }
  };
  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`${String(error)}\n`);
    });
  };
  // A browser opens six connections per host; a few operators share an address behind NAT.
  const admission = new ListenerAdmission(resolveListenerLimits({ maxClients: 64, maxPerAddress: 16, maxHandshakes: 32, maxHandshakesPerAddress: 8 }));
  const limits = { maxHeaderSize: 8192, headersTimeout: 15_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 };
  // node:https only when asked for: a plain endpoint does not keep it resident.
  const server =
    tlsOptions === undefined
      ? createServer(limits, listener)
      : (await import('node:https')).createServer({ ...tlsOptions, ...limits, handshakeTimeout: admission.limits.handshakeTimeoutMs }, listener);
  guardHttpDoor(server, admission, tlsOptions !== undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    tokenRequired,
    access,
    // The door's closed.* reasons (event deadlines, slow readers) are the CoT listeners'; TLS refusals only over HTTPS.
    counters: () => {
      const out: Record<string, number> = { connections: admission.connections, handshaking: admission.handshaking };
      for (const [name, n] of Object.entries(admission.counters())) if (name.startsWith('refused.') || (tlsOptions !== undefined && name.startsWith('tlsRefused.'))) out[name] = n;
      return out;
    },
    close: () =>
      new Promise<void>((resolve) => {
        console?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
