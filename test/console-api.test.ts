// The console's REST API against a real `takd run`: every route with good and bad input,
// events posted through it reach a TCP output, the OpenAPI description matches the real
// handlers, live updates arrive by SSE, every response carries the CSP, and with
// require_token (how a bind off loopback behaves) nothing but /health answers without the token.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OPENAPI, ROUTES } from '../daemon/console/index.js';
import { freePort } from './support/gpsfake.js';
import { CotSink, TAKD_MAIN, TakdProcess, waitFor } from './support/daemon-process.js';

const takd = new TakdProcess();
const sink = new CotSink();
let base = '';

before(async () => {
  const sinkPort = await sink.listen();
  const httpPort = await freePort();
  base = `http://127.0.0.1:${httpPort}`;
  takd.writeConfig(`[takd]\ncallsign = BOX-1\n[pli]\nenabled = no\n[status]\nhttp = 127.0.0.1:${httpPort}\n[output.server]\nurl = tcp://127.0.0.1:${sinkPort}\nhello = no\n`);
  takd.start();
  await takd.waitForState('output.server', 'connected');
});

after(async () => {
  await takd.cleanup();
  await sink.kill().catch(() => undefined);
});

interface Reply {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

async function call(method: string, path: string, body?: unknown, contentType = 'application/json', headers: Record<string, string> = {}): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = contentType;
  }
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: response.status, headers: response.headers, json };
}

const waitForSink = (pattern: RegExp): Promise<true> => waitFor(`sink sees ${String(pattern)}`, () => pattern.test(sink.received) || undefined, 10_000);

describe('console API', () => {
  it('GET /api/links shows each link with its state, counters and history', async () => {
    const reply = await call('GET', '/api/links');
    assert.equal(reply.status, 200);
    const links = reply.json.links as { id: string; state: string; routing?: unknown; history: number[] }[];
    const server = links.find((l) => l.id === 'output.server');
    assert.equal(server?.state, 'connected');
    assert.ok(server?.routing !== undefined);
    assert.ok(Array.isArray(server?.history));
    assert.match(reply.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  });

  it('POST /api/markers reaches the TCP output and shows in /api/tracks', async () => {
    const reply = await call('POST', '/api/markers', { lat: 52.52, lon: 13.405, sidc: 'SHGPUCI----', callsign: 'ENEMY-1', remarks: 'seen <here> & there', stale: 600, uid: 'api-marker-1' });
    assert.equal(reply.status, 202, JSON.stringify(reply.json));
    assert.equal(reply.json.type, 'a-h-G-U-C-I');
    await waitForSink(/uid="api-marker-1"[^>]*type="a-h-G-U-C-I"|type="a-h-G-U-C-I"[^>]*uid="api-marker-1"/);
    assert.match(sink.received, /callsign="ENEMY-1"/);
    assert.match(sink.received, /<remarks>seen &lt;here&gt; &amp; there<\/remarks>/);

    const all = await call('GET', '/api/tracks');
    assert.equal(all.status, 200);
    assert.equal(all.json.type, 'FeatureCollection');
    const features = all.json.features as { id: string; geometry: { coordinates: number[] }; properties: { callsign: string; sidc: string } }[];
    const marker = features.find((f) => f.id === 'api-marker-1');
    assert.deepEqual(marker?.geometry.coordinates, [13.405, 52.52]);
    assert.equal(marker?.properties.callsign, 'ENEMY-1');
    assert.match(marker?.properties.sidc ?? '', /^SHGPUCI/);
    const count = async (query: string): Promise<number> => ((await call('GET', `/api/tracks?${query}`)).json.features as unknown[]).filter((f) => (f as { id: string }).id === 'api-marker-1').length;
    assert.equal(await count('type=a-h'), 1);
    assert.equal(await count('type=a-f,b-m'), 0);
    assert.equal(await count('bbox=13,52,14,53'), 1);
    assert.equal(await count('bbox=-10,40,0,50'), 0);
    const one = await call('GET', '/api/tracks/api-marker-1');
    assert.equal(one.status, 200);
    assert.equal((one.json.event as { uid: string }).uid, 'api-marker-1');
    const missing = await call('GET', '/api/tracks/nobody');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.field, 'uid');
  });

  it('POST /api/cot takes CoT XML and CoT JSON', async () => {
    const now = Date.now();
    const iso = (ms: number): string => new Date(ms).toISOString();
    const xml = `<event version="2.0" uid="api-xml-1" type="a-f-G-U-C" how="m-g" time="${iso(now)}" start="${iso(now)}" stale="${iso(now + 600_000)}"><point lat="48.1" lon="11.5" hae="9999999" ce="9999999" le="9999999"/><detail><contact callsign="FRIEND-X"/></detail></event>`;
    assert.equal((await call('POST', '/api/cot', xml, 'application/xml')).status, 202);
    await waitForSink(/uid="api-xml-1"/);
    const json = { uid: 'api-json-1', type: 'a-n-S', how: 'm-g', time: iso(now), start: iso(now), stale: iso(now + 600_000), point: { lat: 54.3, lon: 10.1, hae: 9999999, ce: 9999999, le: 9999999 }, contact: { callsign: 'SHIP-1' } };
    const reply = await call('POST', '/api/cot', json);
    assert.equal(reply.status, 202, JSON.stringify(reply.json));
    await waitForSink(/uid="api-json-1"/);
    const bad = await call('POST', '/api/cot', { ...json, point: undefined });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.field, 'point');
    const notCot = await call('POST', '/api/cot', '<event', 'application/xml');
    assert.equal(notCot.status, 400);
    assert.equal((await call('POST', '/api/cot', 'hello', 'text/plain')).status, 415);
  });

  it('POST /api/chat sends GeoChat to a room or a known callsign', async () => {
    const room = await call('POST', '/api/chat', { text: 'radio check' });
    assert.equal(room.status, 202, JSON.stringify(room.json));
    assert.match(String(room.json.uid), /^GeoChat\..+\.All Chat Rooms\./);
    await waitForSink(/<remarks [^>]*to="All Chat Rooms"[^>]*>radio check<\/remarks>/);
    assert.match(sink.received, /type="b-t-f"/);
    assert.match(sink.received, /senderCallsign="BOX-1"/);
    // To one contact: addressed (<marti><dest>) to the uid of the known callsign; the router
    // delivers it where that contact was heard (here: from the API itself, so nowhere).
    const direct = await call('POST', '/api/chat', { text: 'hello friend', callsign: 'FRIEND-X' });
    assert.equal(direct.status, 202, JSON.stringify(direct.json));
    assert.match(String(direct.json.uid), /^GeoChat\..+\.api-xml-1\./);
    const unknown = await call('POST', '/api/chat', { text: 'hi', callsign: 'NOBODY' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.field, 'callsign');
  });

  it('bad input answers 400 (or 404, 405, 413, 415) naming the field and the reason', async () => {
    const cases: [unknown, string, string?][] = [
      ['{not json', 'body'],
      [[1, 2], 'body'],
      [{ lat: 91, lon: 0, callsign: 'X' }, 'lat'],
      [{ lat: 1, callsign: 'X' }, 'lon'],
      [{ lat: 1, lon: 1 }, 'callsign'],
      [{ lat: 1, lon: 1, callsign: 'X', colour: 'red' }, 'colour'],
      [{ lat: 1, lon: 1, callsign: 'X', type: 'not a type' }, 'type'],
      [{ lat: 1, lon: 1, callsign: 'X', sidc: 'nonsense' }, 'sidc'],
      [{ lat: 1, lon: 1, callsign: 'X', stale: -5 }, 'stale'],
      [{ lat: 1, lon: 1, callsign: 'X', stale: '2001-01-01T00:00:00Z' }, 'stale'],
    ];
    for (const [body, field] of cases) {
      const reply = await call('POST', '/api/markers', body);
      assert.equal(reply.status, 400, `${JSON.stringify(body)} → ${reply.status}`);
      assert.equal(reply.json.field, field, JSON.stringify(reply.json));
      assert.ok(typeof reply.json.reason === 'string' && reply.json.reason.length > 0);
    }
    assert.equal((await call('POST', '/api/chat', {})).json.field, 'text');
    assert.equal((await call('GET', '/api/tracks?bbox=1,2,3')).json.field, 'bbox');
    assert.equal((await call('GET', '/api/tracks?type=%20x')).json.field, 'type');
    assert.equal((await call('POST', '/api/markers', 'lat=1', 'application/x-www-form-urlencoded')).status, 415);
    assert.equal((await call('POST', '/api/markers', { remarks: 'x'.repeat(70_000) })).status, 413);
    const wrongMethod = await call('GET', '/api/markers');
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
    const nowhere = await call('GET', '/api/nothing');
    assert.equal(nowhere.status, 404);
    assert.match(nowhere.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.match((await call('GET', '/health')).headers.get('content-security-policy') ?? '', /default-src 'none'/);
  });

  it('serves the page from memory: brotli or gzip, ETag and 304, the CSP, no external URL', async () => {
    for (const path of ['/', '/app.js', '/app.css']) {
      const br = await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'br' } });
      assert.equal(br.status, 200, path);
      assert.equal(br.headers.get('content-encoding'), 'br');
      assert.match(br.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      const etag = br.headers.get('etag') ?? '';
      assert.match(etag, /^"[\w-]+"$/);
      const text = await br.text(); // fetch decodes brotli
      // The SVG namespace and milsymbol's home page (a string in its metadata, never fetched) aside.
      assert.doesNotMatch(text, /https?:\/\/(?!www\.w3\.org\/2000\/svg|www\.spatialillusions\.com)/, `${path} names no other site`);
      const gzip = await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gzip.headers.get('content-encoding'), 'gzip');
      assert.equal(await gzip.text(), text);
      assert.equal((await fetch(`${base}${path}`, { headers: { 'if-none-match': etag } })).status, 304);
    }
    const html = await (await fetch(`${base}/`)).text();
    assert.match(html, /<script type="module" src="\/app.js">/);
    assert.doesNotMatch(html, /<script>|style="/, 'no inline script or style (CSP)');
  });

  it('/api/openapi.json documents every route, and every documented route answers', async () => {
    const served = await call('GET', '/api/openapi.json');
    assert.equal(served.status, 200);
    assert.deepEqual(served.json, JSON.parse(JSON.stringify(OPENAPI)));
    const documented = new Set(Object.entries(OPENAPI.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    for (const route of ROUTES) assert.ok(documented.has(`${route.method} ${route.path}`), `${route.method} ${route.path} is not documented`);
    for (const entry of documented) {
      const [method, path] = entry.split(' ') as [string, string];
      const concrete = path.replace('{uid}', 'api-marker-1');
      if (path === '/api/events') continue; // a stream: checked below
      const reply = await call(method, concrete, method === 'POST' ? {} : undefined);
      assert.ok(reply.status !== 404 && reply.status !== 405 && reply.status < 500, `${entry} answered ${reply.status}`);
      const documentedStatuses = Object.keys((OPENAPI.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)[path]?.[method.toLowerCase()]?.responses ?? {});
      assert.ok(documentedStatuses.includes(String(reply.status)), `${entry} answered ${reply.status}, documented ${documentedStatuses.join(',')}`);
    }
  });

  it('/api/events streams tracks and links as they change', async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/api/events`, { signal: controller.signal });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = response.body?.getReader();
    let text = '';
    const decoder = new TextDecoder();
    try {
      while (!(/event: tracks/.test(text) && /event: links/.test(text) && /api-sse-1/.test(text))) {
        if (/event: tracks/.test(text) && !/api-sse-marker-posted/.test(text)) {
          text += 'api-sse-marker-posted';
          await call('POST', '/api/markers', { lat: 1, lon: 2, callsign: 'SSE', uid: 'api-sse-1' });
        }
        const chunk = await reader?.read();
        if (chunk === undefined || chunk.done) break;
        text += decoder.decode(chunk.value);
      }
    } finally {
      controller.abort();
    }
    assert.match(text, /event: links\ndata: \{/);
    assert.match(text, /api-sse-1/);
  });
});

describe('console access with a token', () => {
  const guarded = new TakdProcess();
  after(() => guarded.cleanup());

  it('refuses every route but /health without the bearer token; takd token prints it; rate-limits per client', async () => {
    const httpPort = await freePort();
    const tokenFile = join(guarded.dir, 'console.token');
    guarded.writeConfig(`[pli]\nenabled = no\n[status]\nhttp = 127.0.0.1:${httpPort}\nrequire_token = yes\ntoken_file = ${tokenFile}\napi_rate = 1\n`);
    guarded.start();
    await waitFor('listening', () => (guarded.status()?.ready === true ? true : undefined));
    // It says so at start.
    await waitFor('the log says a token is asked', () => /asks for the bearer token/.test(guarded.stdout + guarded.stderr) || undefined);
    const token = readFileSync(tokenFile, 'utf8').trim();
    const printed = spawnSync(process.execPath, [TAKD_MAIN, 'token', '-c', guarded.configFile], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    assert.equal(printed.status, 0, printed.stderr);
    assert.equal(printed.stdout.trim(), token);
    const get = (path: string, auth?: string): Promise<number> => fetch(`http://127.0.0.1:${httpPort}${path}`, auth === undefined ? {} : { headers: { authorization: auth } }).then((r) => r.status);
    assert.equal(await get('/api/links'), 401);
    assert.equal(await get('/status'), 401);
    assert.equal(await get('/api/links', 'Bearer wrong'), 401);
    assert.equal(await get('/api/links', `Bearer ${token}`), 200);
    // api_rate = 1 a minute with a burst of 10: the rest of twenty requests are refused.
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push(await get('/api/links', `Bearer ${token}`));
    assert.ok(statuses.includes(429), statuses.join(','));
    assert.equal(await guarded.stop(), 0);
  });
});
