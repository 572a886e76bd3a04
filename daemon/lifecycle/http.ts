/**
 * The optional local HTTP endpoint ([status] http = 127.0.0.1:8080): GET /health answers
 * 200 or 503 with a one-line JSON summary, GET /metrics the Prometheus text, /status the
 * same JSON as status.json. Nothing else; meant for localhost or a management network.
 */
import { createServer, type Server } from 'node:http';
import { prometheusText } from './metrics.js';
import { isHealthy, type StatusSnapshot } from './status.js';

function splitHostPort(hostport: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(hostport);
  if (!match) throw new Error(`bad host:port '${hostport}'`);
  return { host: match[1] ?? match[2] ?? '', port: Number(match[3]) };
}

export async function startStatusHttp(hostport: string, snapshot: () => StatusSnapshot): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const current = snapshot();
    if (path === '/health') {
      const healthy = isHealthy(current);
      const failing = current.components.filter((c) => c.state !== 'connected' && c.state !== 'ended').map((c) => `${c.id}: ${c.detail}`);
      response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify({ healthy, ready: current.ready, problems: failing })}\n`);
    } else if (path === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(prometheusText(current));
    } else if (path === '/status') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify(current, null, 2)}\n`);
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('try /health, /metrics or /status\n');
    }
  });
  const { host, port } = splitHostPort(hostport);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
