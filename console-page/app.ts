// The takd console page: the links table (state in words, rates, sparklines, queues,
// counters, last error) and a map of the tracks on an offline basemap (Natural Earth land
// from world-atlas, a graticule, a scale), live by the server's event stream. Bundled by
// scripts/build-page.mjs; the server sends it from memory. No inline script or style (CSP).
import land from 'world-atlas/land-110m.json';
import { ms } from 'milsymbol-core';
import { std2525c } from 'milsymbol-2525c';

ms.addIcons(std2525c);

interface Link {
  id: string;
  kind: string;
  state: string;
  detail: string;
  lastError?: string;
  queueDepth?: number;
  counters: Record<string, number>;
  rate: number;
  history: number[];
  routing?: { pending: number; counters: Record<string, number> };
}
interface LinksBody {
  uptimeSeconds: number;
  ready: boolean;
  gps: { fix: string };
  counters: { eventsIn: number; eventsOut: number };
  historyIntervalSeconds: number;
  links: Link[];
  hubClients: unknown[];
}
interface Feature {
  id: string;
  geometry: { coordinates: number[] };
  properties: { uid: string; type: string; callsign: string | null; sidc: string | null; time: string; stale: string; trail?: number[][]; course: number | null };
}

const SVG = 'http://www.w3.org/2000/svg';
const $ = <T extends Element>(selector: string): T => document.querySelector(selector) as T;
let token = sessionStorage.getItem('takd-token') ?? '';

function headers(): HeadersInit {
  return token ? { authorization: `Bearer ${token}` } : {};
}

function askToken(): Promise<void> {
  const dialog = $<HTMLDialogElement>('#token-dialog');
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      token = $<HTMLInputElement>('#token-input').value.trim();
      sessionStorage.setItem('takd-token', token);
      resolve();
    }, { once: true });
    dialog.showModal();
  });
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function svgEl(tag: string, attributes: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  return node;
}

// ---- links ----

const STATE_WORDS: Record<string, string> = { connected: 'up', starting: 'starting', retrying: 'down, retrying', failed: 'failed', ended: 'ended', stopped: 'stopped' };

function duration(s: number): string {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

function sparkline(values: number[]): SVGElement {
  const svg = svgEl('svg', { class: 'spark', viewBox: '0 0 90 22', preserveAspectRatio: 'none' });
  if (values.length < 2) return svg;
  const max = Math.max(...values, 0.1);
  const points = values.map((v, i) => `${((i / (values.length - 1)) * 90).toFixed(1)},${(21 - (v / max) * 20).toFixed(1)}`).join(' ');
  svg.append(svgEl('polyline', { points }));
  const title = svgEl('title', {});
  title.textContent = `peak ${max.toFixed(1)}/s`;
  svg.append(title);
  return svg;
}

function renderLinks(body: LinksBody): void {
  const up = body.links.filter((l) => l.kind === 'output' && l.state === 'connected').length;
  const outputs = body.links.filter((l) => l.kind === 'output').length;
  $('#summary').textContent = `${body.ready ? '' : 'starting · '}up ${duration(body.uptimeSeconds)} · ${up}/${outputs} outputs up · GPS ${body.gps.fix} · ${body.counters.eventsIn} in, ${body.counters.eventsOut} out · ${body.hubClients.length} hub clients`;
  const tbody = $('#links tbody');
  const rows = body.links.map((link) => {
    const row = el('tr');
    row.dataset.link = link.id;
    const name = el('td');
    name.append(el('div', link.id), el('div', link.kind, 'detail'));
    const stateClass = link.state === 'connected' || link.state === 'ended' ? 'state-up' : link.state === 'retrying' || link.state === 'failed' ? 'state-down' : 'state-other';
    const state = el('td');
    state.append(el('div', STATE_WORDS[link.state] ?? link.state, stateClass), el('div', link.detail, 'detail'));
    const spark = el('td');
    spark.append(sparkline(link.history));
    const counters = Object.entries({ ...link.counters, ...(link.routing?.counters ?? {}) }).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(' · ');
    row.append(name, state, el('td', `${link.rate.toFixed(link.rate < 10 ? 1 : 0)}/s`, 'num'), spark, el('td', String(link.queueDepth ?? link.routing?.pending ?? ''), 'num'), el('td', counters, 'counters'), el('td', link.lastError ?? '', 'err'));
    return row;
  });
  if (rows.length === 0) {
    const row = el('tr');
    const cell = el('td', 'no links configured');
    cell.colSpan = 7;
    row.append(cell);
    rows.push(row);
  }
  tbody.replaceChildren(...rows);
}

// ---- map: Web Mercator in world units 0..1, a view of centre and pixels per unit ----

/** A raster tile server ([status] tiles, from GET /api/map), drawn over the built-in land; none: land only. */
let tileTemplate: string | undefined;
/** Tile images by z/x/y, kept across redraws so a pan does not load them again. */
const tileImages = new Map<string, SVGElement>();
const MAX_TILE_ZOOM = 19;

const view = { x: 0.5, y: 0.5, scale: 0, fitted: false };
let features: Feature[] = [];
const symbolCache = new Map<string, { url: string; ax: number; ay: number; w: number; h: number }>();

function project(lon: number, lat: number): [number, number] {
  const clamped = Math.max(-85.05, Math.min(85.05, lat)) * (Math.PI / 180);
  return [(lon + 180) / 360, (1 - Math.log(Math.tan(clamped) + 1 / Math.cos(clamped)) / Math.PI) / 2];
}

function unproject(x: number, y: number): [number, number] {
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
  return [x * 360 - 180, lat];
}

interface Topology {
  transform: { scale: [number, number]; translate: [number, number] };
  arcs: number[][][];
  objects: { land: { geometries: { type: string; arcs: number[][][] | number[][] }[] } };
}

/** TopoJSON land → rings of [lon, lat] (quantized, delta-encoded arcs). */
function landRings(topology: Topology): number[][][] {
  const { scale, translate } = topology.transform;
  const arcs = topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx ?? 0;
      y += dy ?? 0;
      return [x * scale[0] + translate[0], y * scale[1] + translate[1]];
    });
  });
  const ring = (indices: number[]): number[][] => {
    const points: number[][] = [];
    for (const index of indices) {
      const arc = index < 0 ? [...(arcs[~index] ?? [])].reverse() : (arcs[index] ?? []);
      points.push(...(points.length > 0 ? arc.slice(1) : arc));
    }
    return points;
  };
  const rings: number[][][] = [];
  for (const geometry of topology.objects.land.geometries) {
    const polygons = (geometry.type === 'Polygon' ? [geometry.arcs] : geometry.arcs) as number[][][];
    for (const polygon of polygons) for (const indices of polygon) rings.push(ring(indices));
  }
  return rings;
}

const rings = landRings(land as unknown as Topology).map((r) => r.map(([lon, lat]) => project(lon ?? 0, lat ?? 0)));
const map = $<SVGSVGElement>('#map');

function size(): { w: number; h: number } {
  const box = map.getBoundingClientRect();
  return { w: Math.max(1, box.width), h: Math.max(1, box.height) };
}

function toScreen([x, y]: [number, number] | number[]): [number, number] {
  const { w, h } = size();
  return [((x ?? 0) - view.x) * view.scale + w / 2, ((y ?? 0) - view.y) * view.scale + h / 2];
}

function fit(): void {
  const { w, h } = size();
  const points = features.map((f) => project(f.geometry.coordinates[0] ?? 0, f.geometry.coordinates[1] ?? 0));
  if (points.length === 0) {
    Object.assign(view, { x: 0.5, y: 0.5, scale: Math.min(w, h) });
    return;
  }
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  view.x = (minX + maxX) / 2;
  view.y = (minY + maxY) / 2;
  // Zoomed so every track shows, at most to about a street's scale.
  view.scale = Math.min(w / Math.max(maxX - minX, 1e-6), h / Math.max(maxY - minY, 1e-6)) * 0.7;
  view.scale = Math.min(view.scale, 2 ** 22, Math.max(view.scale, Math.min(w, h)));
  view.fitted = true;
}

function symbol(feature: Feature): { url: string; ax: number; ay: number; w: number; h: number } | undefined {
  const sidc = feature.properties.sidc;
  if (sidc === null) return undefined;
  let cached = symbolCache.get(sidc);
  if (cached === undefined) {
    const made = new ms.Symbol(sidc, { size: 22 });
    const anchor = made.getAnchor();
    const box = made.getSize();
    cached = { url: made.toDataURL(), ax: anchor.x, ay: anchor.y, w: box.width, h: box.height };
    symbolCache.set(sidc, cached);
  }
  return cached;
}

function niceMetres(m: number): number {
  const p = 10 ** Math.floor(Math.log10(m));
  return [1, 2, 5, 10].map((k) => k * p).filter((v) => v <= m).pop() ?? p;
}

let symbolsShown = false;

function renderMap(): void {
  const { w, h } = size();
  if (view.scale === 0) fit();
  const parts: SVGElement[] = [];
  // Land, as one path: projected rings moved to the screen.
  let d = '';
  for (const ring of rings) {
    let first = true;
    for (const point of ring) {
      const [sx, sy] = toScreen(point);
      d += `${first ? 'M' : 'L'}${sx.toFixed(1)} ${sy.toFixed(1)}`;
      first = false;
    }
    d += 'Z';
  }
  parts.push(svgEl('path', { d, class: 'land' }));
  if (tileTemplate !== undefined) parts.push(tileLayer(tileTemplate, w, h));
  // Graticule: a step of degrees giving lines ~80-200 px apart.
  const [lonA, latA] = unproject(view.x - w / 2 / view.scale, view.y + h / 2 / view.scale);
  const [lonB, latB] = unproject(view.x + w / 2 / view.scale, view.y - h / 2 / view.scale);
  const span = Math.max(lonB - lonA, 1e-6);
  const step = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30].find((s) => (s / span) * w >= 80) ?? 30;
  let g = '';
  for (let lon = Math.ceil(Math.max(-180, lonA) / step) * step; lon <= Math.min(180, lonB); lon += step) {
    const [x] = toScreen(project(lon, 0));
    g += `M${x.toFixed(1)} 0V${h}`;
  }
  for (let lat = Math.ceil(Math.max(-85, latA) / step) * step; lat <= Math.min(85, latB); lat += step) {
    const [, y] = toScreen(project(0, lat));
    g += `M0 ${y.toFixed(1)}H${w}`;
  }
  parts.push(svgEl('path', { d: g, class: 'grat' }));
  // Tracks: trail, symbol (or a dot), callsign; faded when a quarter of their life is left.
  const now = Date.now();
  for (const f of features) {
    const [sx, sy] = toScreen(project(f.geometry.coordinates[0] ?? 0, f.geometry.coordinates[1] ?? 0));
    if (sx < -50 || sy < -50 || sx > w + 50 || sy > h + 50) continue;
    const group = svgEl('g', { class: 'track', 'data-uid': f.id });
    const stale = Date.parse(f.properties.stale);
    const time = Date.parse(f.properties.time);
    if (stale - now < (stale - time) / 4) group.classList.add('old');
    const trail = f.properties.trail ?? [];
    if (trail.length > 0) {
      const points = [...trail, f.geometry.coordinates].map((p) => toScreen(project(p[0] ?? 0, p[1] ?? 0)).map((v) => v.toFixed(1)).join(',')).join(' ');
      group.append(svgEl('polyline', { points, class: 'trail' }));
    }
    const sym = symbol(f);
    if (sym !== undefined) group.append(svgEl('image', { href: sym.url, x: (sx - sym.ax).toFixed(1), y: (sy - sym.ay).toFixed(1), width: sym.w, height: sym.h, class: 'symbol' }));
    else group.append(svgEl('circle', { cx: sx.toFixed(1), cy: sy.toFixed(1), r: 6, fill: '#ffbf00', stroke: '#000', 'stroke-width': 1, class: 'symbol' }));
    const label = svgEl('text', { x: (sx + (sym !== undefined ? sym.w - sym.ax : 8) + 3).toFixed(1), y: (sy + 4).toFixed(1), class: 'label' });
    label.textContent = f.properties.callsign ?? f.id;
    const title = svgEl('title', {});
    title.textContent = `${f.properties.callsign ?? ''} ${f.id}\n${f.properties.type}\nlast ${f.properties.time}`;
    group.append(label, title);
    parts.push(group);
  }
  map.replaceChildren(...parts);
  if (!symbolsShown && features.length > 0) {
    symbolsShown = true;
    // "First render" (BENCHMARKS.md): the frame that drew the first symbols has been painted
    // when the next frame starts; performance marks count from navigation start.
    requestAnimationFrame(() => performance.mark('takd-first-symbols'));
  }
  map.setAttribute('viewBox', `0 0 ${w} ${h}`);
  // Scale bar at the map's centre latitude.
  const [, latC] = unproject(view.x, view.y);
  const metresPerPx = (40_075_016 * Math.cos((latC * Math.PI) / 180)) / view.scale;
  const metres = niceMetres(metresPerPx * 100);
  const bar = $<HTMLElement>('#scale');
  bar.textContent = metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
  bar.setAttribute('title', `${(metres / metresPerPx).toFixed(0)} px`);
  bar.style.width = `${(metres / metresPerPx).toFixed(0)}px`;
  $('#track-count').textContent = `(${features.length} tracks)`;
}

/** The 256-pixel tiles covering the view at the zoom nearest the view's scale (at most 64). */
function tileLayer(template: string, w: number, h: number): SVGElement {
  const group = svgEl('g', { class: 'tiles' });
  const z = Math.max(0, Math.min(MAX_TILE_ZOOM, Math.round(Math.log2(view.scale / 256))));
  const n = 2 ** z;
  const size = view.scale / n;
  const x0 = Math.max(0, Math.floor((view.x - w / 2 / view.scale) * n));
  const x1 = Math.min(n - 1, Math.floor((view.x + w / 2 / view.scale) * n));
  const y0 = Math.max(0, Math.floor((view.y - h / 2 / view.scale) * n));
  const y1 = Math.min(n - 1, Math.floor((view.y + h / 2 / view.scale) * n));
  if ((x1 - x0 + 1) * (y1 - y0 + 1) > 64) return group;
  const used = new Set<string>();
  for (let x = x0; x <= x1; x++) {
    for (let y = y0; y <= y1; y++) {
      const key = `${z}/${x}/${y}`;
      used.add(key);
      let image = tileImages.get(key);
      if (image === undefined) {
        image = svgEl('image', { href: template.replaceAll('{z}', String(z)).replaceAll('{x}', String(x)).replaceAll('{y}', String(y)), class: 'tile', preserveAspectRatio: 'none' });
        tileImages.set(key, image);
      }
      const [sx, sy] = toScreen([x / n, y / n]);
      // Half a pixel of overlap hides the seams between neighbours.
      image.setAttribute('x', sx.toFixed(1));
      image.setAttribute('y', sy.toFixed(1));
      image.setAttribute('width', (size + 0.5).toFixed(1));
      image.setAttribute('height', (size + 0.5).toFixed(1));
      group.append(image);
    }
  }
  // Forget what is off screen once many are kept.
  if (tileImages.size > 256) for (const key of tileImages.keys()) if (!used.has(key)) tileImages.delete(key);
  return group;
}

let frame = 0;
function redraw(): void {
  if (frame === 0) frame = requestAnimationFrame(() => {
    frame = 0;
    renderMap();
  });
}

function zoom(factor: number, cx?: number, cy?: number): void {
  const { w, h } = size();
  const px = cx ?? w / 2;
  const py = cy ?? h / 2;
  const wx = view.x + (px - w / 2) / view.scale;
  const wy = view.y + (py - h / 2) / view.scale;
  view.scale = Math.min(2 ** 26, Math.max(Math.min(w, h) / 2, view.scale * factor));
  view.x = wx - (px - w / 2) / view.scale;
  view.y = wy - (py - h / 2) / view.scale;
  redraw();
}

const pointers = new Map<number, { x: number; y: number }>();
map.addEventListener('pointerdown', (e) => {
  map.setPointerCapture(e.pointerId);
  pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
});
map.addEventListener('pointermove', (e) => {
  const last = pointers.get(e.pointerId);
  if (last === undefined) return;
  if (pointers.size === 2) {
    const [a, b] = [...pointers.values()];
    const before = Math.hypot((a?.x ?? 0) - (b?.x ?? 0), (a?.y ?? 0) - (b?.y ?? 0));
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const [c, d] = [...pointers.values()];
    const after = Math.hypot((c?.x ?? 0) - (d?.x ?? 0), (c?.y ?? 0) - (d?.y ?? 0));
    if (before > 0) zoom(after / before);
    return;
  }
  view.x -= (e.clientX - last.x) / view.scale;
  view.y -= (e.clientY - last.y) / view.scale;
  pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
  redraw();
});
const release = (e: PointerEvent): void => void pointers.delete(e.pointerId);
map.addEventListener('pointerup', release);
map.addEventListener('pointercancel', release);
map.addEventListener('wheel', (e) => {
  e.preventDefault();
  const box = map.getBoundingClientRect();
  zoom(e.deltaY < 0 ? 1.25 : 0.8, e.clientX - box.left, e.clientY - box.top);
}, { passive: false });
$('#zoom-in').addEventListener('click', () => zoom(2));
$('#zoom-out').addEventListener('click', () => zoom(0.5));
$('#fit').addEventListener('click', () => {
  fit();
  redraw();
});
window.addEventListener('resize', redraw);

// ---- data: the GET routes once, then the event stream (fetch, so the token header goes too) ----

function setFeatures(next: Feature[]): void {
  features = next;
  if (!view.fitted && features.length > 0) view.scale = 0;
  redraw();
}

async function getJson<T>(path: string): Promise<T> {
  for (;;) {
    const response = await fetch(path, { headers: headers() });
    if (response.status === 401) {
      await askToken();
      continue;
    }
    return (await response.json()) as T;
  }
}

async function stream(): Promise<void> {
  const live = $('#live');
  for (;;) {
    try {
      const response = await fetch('/api/events', { headers: headers() });
      if (response.status === 401) {
        await askToken();
        continue;
      }
      const reader = response.body?.getReader();
      if (reader === undefined) throw new Error('no stream');
      live.classList.add('on');
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (\w+)$/m.exec(message)?.[1];
          const data = message.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (event === 'links') renderLinks(JSON.parse(data) as LinksBody);
          else if (event === 'tracks') setFeatures((JSON.parse(data) as { features: Feature[] }).features);
        }
      }
    } catch {
      // fall through: retry
    }
    live.classList.remove('on');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function start(): Promise<void> {
  const [links, tracks, settings] = await Promise.all([
    getJson<LinksBody>('/api/links'),
    getJson<{ features: Feature[] }>('/api/tracks'),
    getJson<{ tiles: string | null; attribution: string | null }>('/api/map'),
  ]);
  if (settings.tiles !== null) {
    tileTemplate = settings.tiles;
    const credit = settings.attribution ?? new URL(settings.tiles.replace(/\{[zxy]\}/g, '0')).host;
    $('#attribution').textContent += ` · Tiles: ${credit}`;
  }
  renderLinks(links);
  setFeatures(tracks.features);
  document.body.dataset.ready = 'true';
  void stream();
}

void start();
