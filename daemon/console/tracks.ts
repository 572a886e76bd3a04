/**
 * The tracks the box knows, for GET /api/tracks and the map: the newest event per uid of
 * everything routed that has a position (own PLI, phones, relayed PLI, AIS, APRS,
 * Meshtastic, markers), with a short trail, until it goes stale. Chat, control and events
 * at 0,0 (no position) are not tracks. Bounded: the least recently updated goes first.
 *
 * A track keeps what the map shows as plain fields and the event as XML text, not the
 * decoded event: a track lives for seconds to hours, so what it holds ends up in the
 * garbage collector's old generation, and a decoded event is several times its text (in
 * the soak, the table's markers and phones were most of what the heap promoted). GET
 * /api/tracks/{uid} decodes the text again.
 */
import type { CotEvent } from '../codec/event.js';
import { UNKNOWN_THRESHOLD } from '../codec/event.js';
import { XmlEventDecoder } from '../codec/xml/decode.js';
import { encodeXmlString } from '../codec/xml/encode.js';
import { sourceXmlOf } from '../codec/xml/source-text.js';

/** A track: what the map shows of its newest event, that event as text, and a trail. */
export interface Track {
  uid: string;
  type: string;
  how: string;
  callsign: string | undefined;
  team: string | undefined;
  /** Epoch ms. */
  time: number;
  stale: number;
  lat: number;
  lon: number;
  hae: number;
  ce: number;
  speed: number | undefined;
  course: number | undefined;
  /** The whole event as CoT XML: what the sender wrote, or takd's encoding of it. */
  xml: string;
  /** The link or source it came from by id (`self` for the box's own PLI, `api`). */
  from: string;
  /** When the box last heard of it, epoch ms. */
  updatedMs: number;
  /** Earlier positions, oldest first, [lon, lat]; at most TRAIL_POINTS. */
  trail: [number, number][];
  /** Its GeoJSON Feature, made once (a new Track object replaces this one on every update). */
  feature?: GeoJsonFeature;
  /** That Feature as JSON text, made once: GET /api/tracks and the live stream join these. */
  json?: string;
}

export interface BoundingBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

export interface TrackQuery {
  /** Type prefixes (`a-f`, `a-h-G`); any matches. */
  types?: string[];
  bbox?: BoundingBox;
}

export interface GeoJsonFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: number[] };
  properties: Record<string, string | number | boolean | number[][] | null>;
}

const TRAIL_POINTS = 20;

export function isTrack(event: CotEvent): boolean {
  if (event.type.startsWith('b-t-f') || event.type.startsWith('t-') || event.type.startsWith('y-')) return false;
  return !(event.point.lat === 0 && event.point.lon === 0);
}

export class TrackTable {
  private readonly tracks = new Map<string, Track>();
  /** Bumped by every change: the page's live updates send only when it moved. */
  version = 0;

  constructor(
    private readonly maxTracks = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.tracks.size;
  }

  observe(event: CotEvent, from: string): void {
    if (event.type === 't-x-d-d') {
      const target = /<link\b[^>]*\buid\s*=\s*["']([^"']+)["']/.exec(event.xmlDetail ?? '')?.[1];
      if (target !== undefined && this.tracks.delete(target)) this.version++;
      return;
    }
    if (!isTrack(event)) return;
    const now = this.now();
    if (event.stale <= now) return;
    const previous = this.tracks.get(event.uid);
    if (previous !== undefined && previous.time > event.time) return;
    const trail = previous?.trail ?? [];
    if (previous !== undefined) {
      const { lat, lon } = previous;
      if (lat !== event.point.lat || lon !== event.point.lon) {
        trail.push([lon, lat]);
        if (trail.length > TRAIL_POINTS) trail.shift();
      }
      this.tracks.delete(event.uid); // re-inserted last: Map order is least recently updated first
    }
    this.tracks.set(event.uid, trackOf(event, from, now, trail));
    while (this.tracks.size > this.maxTracks) this.tracks.delete(this.tracks.keys().next().value as string);
    this.version++;
  }

  get(uid: string): Track | undefined {
    const track = this.tracks.get(uid);
    if (track !== undefined && track.stale <= this.now()) {
      this.tracks.delete(uid);
      this.version++;
      return undefined;
    }
    return track;
  }

  /** The live tracks that match, stale ones dropped on the way. */
  query(query: TrackQuery = {}): Track[] {
    const now = this.now();
    const out: Track[] = [];
    for (const [uid, track] of this.tracks) {
      if (track.stale <= now) {
        this.tracks.delete(uid);
        this.version++;
        continue;
      }
      if (query.types !== undefined && query.types.length > 0 && !query.types.some((prefix) => track.type.startsWith(prefix))) continue;
      if (query.bbox !== undefined && !inside(query.bbox, track.lat, track.lon)) continue;
      out.push(track);
    }
    return out;
  }
}

function trackOf(event: CotEvent, from: string, updatedMs: number, trail: [number, number][]): Track {
  const { lat, lon, hae, ce } = event.point;
  return {
    uid: event.uid,
    type: event.type,
    how: event.how,
    callsign: event.contact?.callsign,
    team: event.group?.name,
    time: event.time,
    stale: event.stale,
    lat,
    lon,
    hae,
    ce,
    speed: event.track?.speed,
    course: event.track?.course,
    xml: sourceXmlOf(event) ?? encodeXmlString(event, { declaration: false }),
    from,
    updatedMs,
    trail,
  };
}

let decoder: XmlEventDecoder | undefined;

/** The track's newest event, decoded again from its text. */
export function eventOf(track: Track): CotEvent {
  return (decoder ??= new XmlEventDecoder()).decode(track.xml);
}

function inside(box: BoundingBox, lat: number, lon: number): boolean {
  if (lat < box.south || lat > box.north) return false;
  return box.west <= box.east ? lon >= box.west && lon <= box.east : lon >= box.west || lon <= box.east;
}

/** MIL-STD-2525 letter SIDC from an atom CoT type (`a-f-G-U-C` → `SFGPUC-----`), else undefined. */
export function sidcOf(type: string): string | undefined {
  const parts = type.split('-');
  if (parts[0] !== 'a' || parts.length < 3) return undefined;
  const affiliation = (parts[1] ?? 'u').toUpperCase();
  const dimension = parts[2] ?? 'G';
  const fn = parts.slice(3).join('').toUpperCase().slice(0, 6);
  return `S${affiliation}${dimension}P${fn.padEnd(6, '-')}--`.slice(0, 12).padEnd(15, '-');
}

/** The track's Feature as JSON, serialized once per update (10,000 tracks are joined, not re-serialized). */
export function featureJson(track: Track): string {
  return (track.json ??= JSON.stringify(featureOf(track)));
}

/** A GeoJSON FeatureCollection of these tracks as JSON text. */
export function featureCollectionJson(tracks: readonly Track[]): string {
  const parts = new Array<string>(tracks.length);
  for (let i = 0; i < tracks.length; i++) parts[i] = featureJson(tracks[i] as Track);
  return `{"type":"FeatureCollection","features":[${parts.join(',')}]}`;
}

export function featureOf(track: Track, withTrail = false): GeoJsonFeature {
  if (track.feature !== undefined) return track.feature;
  const { lat, lon, hae, ce } = track;
  const coordinates = hae < UNKNOWN_THRESHOLD ? [lon, lat, hae] : [lon, lat];
  const properties: GeoJsonFeature['properties'] = {
    uid: track.uid,
    type: track.type,
    how: track.how,
    callsign: track.callsign ?? null,
    time: new Date(track.time).toISOString(),
    stale: new Date(track.stale).toISOString(),
    from: track.from,
    ce: ce < UNKNOWN_THRESHOLD ? ce : null,
    speed: track.speed ?? null,
    course: track.course ?? null,
    sidc: sidcOf(track.type) ?? null,
  };
  if (track.team !== undefined) properties.team = track.team;
  if (withTrail || track.trail.length > 0) properties.trail = [...track.trail];
  track.feature = { type: 'Feature', id: track.uid, geometry: { type: 'Point', coordinates }, properties };
  return track.feature;
}
