/**
 * The optional local HTTP endpoint ([status] http = 127.0.0.1:8080): GET /health answers
 * 200 or 503 with a one-line JSON summary, GET /metrics the Prometheus text, /status the
 * same JSON as status.json; everything else is the console's (daemon/console: the REST API
 * under /api and the page), loaded with this module.
 *
 * Access (daemon/console/access.ts): a loopback address needs nothing; bound off loopback,
 * or with require_token, every path but /health needs the bearer token. Every client
 * address has a request budget; every response carries a strict Content-Security-Policy.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { TakdConfig } from '../../config/view.js';
import { bearerMatches, ClientRateLimiter, defaultTokenFile, ensureToken, isLoopbackHost } from '../console/access.js';
import { createConsole, type ConsoleHooks } from '../console/index.js';
import type { Logger } from '../log.js';
import { prometheusText } from './metrics.js';
import { isHealthy, type StatusSnapshot } from './status.js';

export function splitHostPort(hostport: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(hostport);
  if (!match) throw new Error(`bad host:port '${hostport}'`);
  return { host: match[1] ?? match[2] ?? '', port: Number(match[3]) };
}

/** On every response: nothing from elsewhere, no inline script, no framing, no sniffing. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

export interface StatusHttpOptions {
  settings: TakdConfig['status'] & { http: string };
  snapshot: () => StatusSnapshot;
  /** The console's hooks into the daemon; without them only /health, /metrics, /status. */
  console?: Omit<ConsoleHooks, 'snapshot'>;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}

export interface StatusHttp {
  server: Server;
  /** Whether requests need the bearer token. */
  tokenRequired: boolean;
  close(): Promise<void>;
}

export async function startStatusHttp(options: StatusHttpOptions): Promise<StatusHttp> {
  const { settings, snapshot, logger } = options;
  const { host, port } = splitHostPort(settings.http);
  const tokenRequired = settings.requireToken === true || !isLoopbackHost(host);
  let token: string | undefined;
  if (tokenRequired) {
    const file = settings.tokenFile ?? defaultTokenFile(options.env);
    const made = ensureToken(file);
    token = made.token;
    logger?.info({ http: settings.http, tokenFile: file, created: made.created }, 'the HTTP endpoint asks for the bearer token (all but /health); `takd token` prints it');
  } else {
    logger?.info({ http: settings.http }, 'the HTTP endpoint is on loopback: no token asked');
  }
  const limiter = new ClientRateLimiter(settings.apiRatePerMinute ?? 600);
  const console = options.console ? createConsole({ ...options.console, snapshot }) : undefined;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const url = new URL(request.url ?? '/', 'http://takd.invalid');
    const path = url.pathname;
    const wait = limiter.take(request.socket.remoteAddress ?? '?');
    if (wait > 0) {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(wait) }).end(`${JSON.stringify({ error: 'too many requests', reason: `more than ${settings.apiRatePerMinute ?? 600} a minute from this address; retry in ${wait} s` })}\n`);
      request.resume();
      return;
    }
    if (token !== undefined && path !== '/health' && !bearerMatches(request.headers.authorization, token)) {
      response.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="takd"' }).end(`${JSON.stringify({ error: 'unauthorized', reason: 'send Authorization: Bearer TOKEN (`takd token` on the box prints it)' })}\n`);
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
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`${String(error)}\n`);
    });
  });
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
    close: () =>
      new Promise<void>((resolve) => {
        console?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
