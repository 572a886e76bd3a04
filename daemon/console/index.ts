/**
 * The console: what the status HTTP server (daemon/lifecycle/http.ts) answers beyond
 * /health, /metrics and /status — the REST API under /api, its live event stream, and
 * the page. Loaded only when `[status] http` is set (dynamic import), so a daemon without
 * it carries none of this. See README.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CotEvent } from '../codec/event.js';
import type { StatusSnapshot } from '../lifecycle/status.js';
import { handleApi, linksBody, sendJson, ROUTES, type ApiContext } from './api.js';
import { LinkHistory } from './history.js';
import { OPENAPI } from './openapi.js';
import { isPagePath, servePage } from './page.js';
import type { Identity } from './requests.js';
import { featureCollectionJson, TrackTable } from './tracks.js';

export { ROUTES, OPENAPI };

/** What the daemon lends the console. */
export interface ConsoleHooks {
  snapshot(): StatusSnapshot;
  /** Publishes into the router from `api`. */
  publish(event: CotEvent): void;
  /** Sets (or clears) the listener told of every routed event (RoutingStage.observer). */
  observe(listener: ((event: CotEvent, from: string) => void) | undefined): void;
  identity(): Identity;
}

export interface Console {
  /** Answers the request if it is the console's; false when it is not (the caller 404s). */
  handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean>;
  close(): void;
}

/** What the page is told of the map ([status] tiles, tiles_attribution): GET /api/map. */
export interface ConsoleOptions {
  tiles?: string;
  tilesAttribution?: string;
}

/** Live updates are coalesced: at most one per SSE_INTERVAL_MS, and only when changed. */
const SSE_INTERVAL_MS = 500;

export function createConsole(hooks: ConsoleHooks, options: ConsoleOptions = {}): Console {
  const tracks = new TrackTable();
  const history = new LinkHistory(() => hooks.snapshot().components);
  history.start();
  hooks.observe((event, from) => tracks.observe(event, from));
  const context: ApiContext = { snapshot: () => hooks.snapshot(), tracks, history, publish: (event) => hooks.publish(event), identity: () => hooks.identity(), map: { tiles: options.tiles ?? null, attribution: options.tilesAttribution ?? null } };
  const streams = new Set<ServerResponse>();
  let lastTracks = -1;
  let lastLinks = '';
  const ticker = setInterval(() => {
    if (streams.size === 0) return;
    const live = tracks.query({}); // drops the stale first, so their going is a change too
    // uptime changes every second: compare without it, so an idle box sends nothing.
    const body = linksBody(context) as { uptimeSeconds?: number };
    const links = JSON.stringify({ ...body, uptimeSeconds: 0 });
    const messages: string[] = [];
    if (links !== lastLinks) messages.push(`event: links\ndata: ${JSON.stringify(body)}\n\n`);
    if (tracks.version !== lastTracks) messages.push(`event: tracks\ndata: ${featureCollectionJson(live)}\n\n`);
    lastLinks = links;
    lastTracks = tracks.version;
    const text = messages.join('') || ': keep-alive\n\n';
    for (const stream of streams) stream.write(text);
  }, SSE_INTERVAL_MS);
  ticker.unref();

  function openStream(request: IncomingMessage, response: ServerResponse): void {
    if (streams.size >= 32) {
      sendJson(response, 503, { error: 'busy', reason: 'at most 32 live streams at once' });
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    response.write('retry: 2000\n\n');
    streams.add(response);
    // A new stream gets everything on the next tick.
    lastTracks = -1;
    lastLinks = '';
    request.on('close', () => streams.delete(response));
  }

  return {
    async handle(request, response, url) {
      const path = url.pathname;
      if (path === '/api/openapi.json' && (request.method === 'GET' || request.method === 'HEAD')) {
        sendJson(response, 200, OPENAPI);
        return true;
      }
      if (path === '/api/events' && request.method === 'GET') {
        openStream(request, response);
        return true;
      }
      if (isPagePath(path) && (request.method === 'GET' || request.method === 'HEAD')) {
        await servePage(request, response, path);
        return true;
      }
      if (path.startsWith('/api/')) {
        await handleApi(request, response, url, context);
        return true;
      }
      return false;
    },
    close() {
      clearInterval(ticker);
      history.stop();
      hooks.observe(undefined);
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}
