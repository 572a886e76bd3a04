/**
 * The REST API under /api (see openapi.ts for the description served at
 * /api/openapi.json): links, tracks as GeoJSON, and POST of CoT, markers and chat, each
 * published through the router as role `api`. A route table: the OpenAPI test walks it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CotDecodeError } from '../codec/errors.js';
import type { CotEvent } from '../codec/event.js';
import { eventFromJson, eventToJson } from '../codec/json.js';
import { XmlEventDecoder } from '../codec/xml/decode.js';
import type { StatusSnapshot } from '../lifecycle/status.js';
import type { LinkHistory } from './history.js';
import { ApiError, chatEvent, markerEvent, parseBbox, type Identity } from './requests.js';
import { eventOf, featureCollectionJson, featureOf, type TrackTable } from './tracks.js';

export const MAX_BODY_BYTES = 64 * 1024;

export interface ApiContext {
  snapshot(): StatusSnapshot;
  tracks: TrackTable;
  history: LinkHistory;
  /** Into the router, from `api`. */
  publish(event: CotEvent): void;
  identity(): Identity;
  /** The map's raster tile URL template and its attribution, or null: the built-in basemap only. */
  map: { tiles: string | null; attribution: string | null };
}

export interface Route {
  method: 'GET' | 'POST';
  /** OpenAPI path, `{uid}` for a parameter. */
  path: string;
  handle(request: IncomingMessage, url: URL, params: Record<string, string>, context: ApiContext): Promise<Answer> | Answer;
}

export interface Answer {
  status: number;
  body?: unknown;
  /** The body already as JSON text (sent as is, instead of serializing `body`). */
  json?: string;
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(response, status, JSON.stringify(body), headers);
}

export function sendJsonText(response: ServerResponse, status: number, json: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(`${json}\n`);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new ApiError(413, 'body', `is larger than ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'body', `is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function jsonBody(request: IncomingMessage): Promise<unknown> {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new ApiError(415, 'content-type', 'must be application/json');
  const text = await readBody(request);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(400, 'body', `is not JSON: ${(error as Error).message}`);
  }
}

function published(context: ApiContext, event: CotEvent): Answer {
  context.publish(event);
  return { status: 202, body: { uid: event.uid, type: event.type, stale: new Date(event.stale).toISOString() } };
}

/** Links: every component with the router's view of outputs and its rate history. */
export function linksBody(context: ApiContext): unknown {
  const snapshot = context.snapshot();
  const routed = new Map(snapshot.router.outputs.map((o) => [o.name, o]));
  return {
    uptimeSeconds: snapshot.uptimeSeconds,
    ready: snapshot.ready,
    gps: snapshot.gps,
    counters: snapshot.counters,
    historyIntervalSeconds: context.history.intervalSeconds,
    links: snapshot.components.map((c) => {
      const router = routed.get(c.id);
      return { ...c, ...(router !== undefined ? { routing: { up: router.up, pending: router.pending, stored: router.stored, counters: router.counters } } : {}), rate: context.history.rate(c.id), history: context.history.series(c.id) };
    }),
    hubClients: snapshot.hub?.connected ?? [],
  };
}

export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/api/links', handle: (_r, _u, _p, context) => ({ status: 200, body: linksBody(context) }) },
  { method: 'GET', path: '/api/map', handle: (_r, _u, _p, context) => ({ status: 200, body: context.map }) },
  {
    method: 'GET',
    path: '/api/tracks',
    handle: (_r, url, _p, context) => {
      const typeParam = url.searchParams.get('type');
      const bboxParam = url.searchParams.get('bbox');
      const types = typeParam === null ? undefined : typeParam.split(',').filter((t) => t !== '');
      if (types?.some((t) => !/^[a-z][A-Za-z0-9-]*$/.test(t))) throw new ApiError(400, 'type', 'must be CoT type prefixes like a-f or a-h-G, comma-separated');
      const bbox = bboxParam === null ? undefined : parseBbox(bboxParam);
      return { status: 200, json: featureCollectionJson(context.tracks.query({ types, bbox })) };
    },
  },
  {
    method: 'GET',
    path: '/api/tracks/{uid}',
    handle: (_r, _u, params, context) => {
      const track = context.tracks.get(params.uid ?? '');
      if (track === undefined) throw new ApiError(404, 'uid', 'no live track has this uid');
      return { status: 200, body: { ...featureOf(track, true), event: eventToJson(eventOf(track)) } };
    },
  },
  {
    method: 'POST',
    path: '/api/cot',
    handle: async (request, _u, _p, context) => {
      const type = request.headers['content-type'] ?? '';
      if (/^application\/json\b/i.test(type)) {
        const value = await jsonBody(request);
        try {
          return published(context, eventFromJson(value));
        } catch (error) {
          if (error instanceof CotDecodeError) throw new ApiError(400, /^[\w.]+/.exec(error.message)?.[0] ?? 'body', error.message);
          throw error;
        }
      }
      if (/^(application|text)\/(cot\+)?xml\b/i.test(type)) {
        const text = await readBody(request);
        try {
          return published(context, new XmlEventDecoder().decode(text));
        } catch (error) {
          if (error instanceof CotDecodeError) throw new ApiError(400, 'body', `is not a CoT event: ${error.message}`);
          throw error;
        }
      }
      throw new ApiError(415, 'content-type', 'must be application/json (CoT JSON) or application/xml (CoT XML)');
    },
  },
  { method: 'POST', path: '/api/markers', handle: async (request, _u, _p, context) => published(context, markerEvent(await jsonBody(request), Date.now())) },
  {
    method: 'POST',
    path: '/api/chat',
    handle: async (request, _u, _p, context) => {
      const body = await jsonBody(request);
      const lookup = (callsign: string): string | undefined => context.tracks.query({}).find((t) => t.callsign === callsign)?.uid;
      return published(context, chatEvent(body, Date.now(), context.identity(), lookup));
    },
  },
];

function match(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith('{')) {
      if (g === '') return undefined;
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) return undefined;
  }
  return params;
}

/** Answers an /api request (other than openapi.json and the event stream). */
export async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL, context: ApiContext): Promise<void> {
  const candidates = ROUTES.map((route) => ({ route, params: match(route.path, url.pathname) })).filter((c) => c.params !== undefined);
  if (candidates.length === 0) {
    sendJson(response, 404, { error: 'not found', reason: `no route ${url.pathname}; see /api/openapi.json` });
    return;
  }
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const chosen = candidates.find((c) => c.route.method === method);
  if (chosen === undefined) {
    sendJson(response, 405, { error: 'method not allowed', reason: `${url.pathname} takes ${candidates.map((c) => c.route.method).join(', ')}` }, { allow: candidates.map((c) => c.route.method).join(', ') });
    return;
  }
  try {
    const answer = await chosen.route.handle(request, url, chosen.params ?? {}, context);
    if (answer.json !== undefined) sendJsonText(response, answer.status, answer.json);
    else sendJson(response, answer.status, answer.body);
  } catch (error) {
    if (error instanceof ApiError) sendJson(response, error.status, { error: error.status === 404 ? 'not found' : 'bad request', field: error.field, reason: error.reason });
    else sendJson(response, 500, { error: 'internal error', reason: String(error) });
  }
}
