/**
 * Test and benchmark inputs for the TAK protocol v1 codec: the reference vector, a seeded
 * PRNG and a generator of random events covering everything v1 can carry.
 */
import { UNKNOWN_VALUE } from '../../daemon/codec/event.js';
import type { CotEvent } from '../../daemon/codec/event.js';
import { xmlElement } from '../../daemon/codec/xml/encode.js';

/** The event of the reference vector, as XML (PyTAK's takproto encodes it to VECTOR_STREAM_HEX, spaced hex). */
export const VECTOR_XML =
  '<event version="2.0" uid="a" type="a-f-G" time="2020-01-01T00:00:00Z" start="2020-01-01T00:00:00Z" ' +
  'stale="2020-01-01T00:01:00Z" how="m-g"><point lat="1" lon="2" hae="0" ce="9999999" le="9999999"/>' +
  '<detail><contact callsign="X"/></detail></event>';

export const VECTOR_STREAM_HEX =
  'bf 51 12 4f 0a 05 61 2d 66 2d 47 2a 01 61 30 80 d0 9b f3 f5 2d 38 80 d0 9b f3 f5 2d 40 e0 a4 9f f3 f5 2d 4a 03 6d 2d 67 51 ' +
  '00 00 00 00 00 00 f0 3f 59 00 00 00 00 00 00 00 40 69 00 00 00 e0 cf 12 63 41 71 00 00 00 e0 cf 12 63 41 7a 05 12 03 12 01 58';

export function vectorEvent(): CotEvent {
  const time = Date.UTC(2020, 0, 1);
  return {
    uid: 'a',
    type: 'a-f-G',
    how: 'm-g',
    time,
    start: time,
    stale: time + 60_000,
    point: { lat: 1, lon: 2, hae: 0, ce: UNKNOWN_VALUE, le: UNKNOWN_VALUE },
    contact: { callsign: 'X' },
  };
}

export { seededRandom } from './generators.js';

// XML specials, spaces, Latin-1, CJK and an astral-plane character (two UTF-16 units).
const STRING_ALPHABET = [...'abcXYZ019-_.: ', '&', '<', '>', '"', "'", 'é', 'ß', '日', '本', '🛰', 'Ω'];
const DETAIL_NAMES = ['remarks', 'link', 'uid', 'usericon', 'color', '__video', 'marti', '_flow-tags_'];
const ATTRIBUTE_NAMES = ['uid', 'type', 'relation', 'source', 'Droid', 'iconsetpath', 'argb', 'url'];

export class EventGenerator {
  constructor(private readonly random: () => number) {}

  chance(p: number): boolean {
    return this.random() < p;
  }

  integer(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.integer(0, items.length - 1)];
  }

  string(maxLength = 12, minLength = 0): string {
    let text = '';
    const length = this.integer(minLength, maxLength);
    for (let i = 0; i < length; i++) text += this.pick(STRING_ALPHABET);
    return text;
  }

  double(min: number, max: number): number {
    return min + this.random() * (max - min);
  }

  /** A fragment of 1–4 non-typed elements, built with the XML encoder's element builder. */
  xmlDetail(): string {
    let fragment = '';
    const count = this.integer(1, 4);
    for (let i = 0; i < count; i++) {
      const attributes: Record<string, string> = {};
      for (let j = this.integer(0, 3); j > 0; j--) attributes[this.pick(ATTRIBUTE_NAMES)] = this.string();
      fragment += xmlElement(this.pick(DETAIL_NAMES), attributes, this.chance(0.4) ? this.string(30, 1) : undefined);
    }
    return fragment;
  }

  /** An event whose every part v1 can carry; optional parts present at random. */
  event(): CotEvent {
    const time = this.integer(0, 4_102_444_800_000); // 1970 … 2100
    const event: CotEvent = {
      uid: this.string(20, 1),
      type: this.pick(['a-f-G-U-C', 'a-h-G', 'b-t-f', 't-x-c-t', 'a-f-A-M-F-Q']),
      how: this.pick(['m-g', 'h-e', 'h-g-i-g-o', 'm-f']),
      time,
      start: time + this.integer(0, 1000),
      stale: time + this.integer(0, 86_400_000),
      point: {
        lat: this.double(-90, 90),
        lon: this.double(-180, 180),
        hae: this.chance(0.3) ? UNKNOWN_VALUE : this.pick([0, -0, this.double(-400, 9000)]),
        ce: this.chance(0.3) ? UNKNOWN_VALUE : this.double(0, 5000),
        le: this.chance(0.3) ? UNKNOWN_VALUE : this.double(0, 5000),
      },
    };
    if (this.chance(0.3)) event.access = this.string(10, 1);
    if (this.chance(0.2)) event.qos = this.string(10, 1);
    if (this.chance(0.2)) event.opex = this.string(10, 1);
    if (this.chance(0.7)) {
      event.contact = { callsign: this.string() };
      if (this.chance(0.5)) event.contact.endpoint = this.string(20, 1);
      if (this.chance(0.3)) event.contact.phone = this.string(12, 1);
    }
    if (this.chance(0.5)) event.group = { name: this.string(), role: this.string() };
    if (this.chance(0.5)) event.precisionLocation = { geopointsrc: this.string(), altsrc: this.string() };
    if (this.chance(0.5)) event.status = { battery: this.chance(0.9) ? this.integer(0, 100) : this.integer(0, 2 ** 31 - 1) };
    if (this.chance(0.5)) {
      event.takv = { device: this.string(), platform: this.string(), os: this.string(), version: this.string() };
    }
    if (this.chance(0.5)) event.track = { speed: this.double(0, 300), course: this.double(0, 360) };
    if (this.chance(0.5)) event.xmlDetail = this.xmlDetail();
    return event;
  }
}

/** An ATAK-style PLI like the spec's example (§9.1), varied by index: the benchmark workload. */
export function atakPli(index: number): CotEvent {
  const time = Date.UTC(2024, 4, 1, 12) + index * 1000;
  return {
    uid: `ANDROID-7da2849d73eb${(index % 10000).toString().padStart(4, '0')}`,
    type: 'a-f-G-U-C',
    how: 'm-g',
    time,
    start: time,
    stale: time + 75_000,
    point: { lat: 39.7141704 + index * 1e-6, lon: -105.2215339 - index * 1e-6, hae: 1615.418, ce: 6.4, le: UNKNOWN_VALUE },
    takv: { os: '34', version: '4.10.0.0 (90402c80).1691730052-CIV', device: 'GOOGLE PIXEL 7', platform: 'ATAK-CIV' },
    contact: { endpoint: '192.168.124.206:4242:tcp', callsign: 'JULIET-1' },
    precisionLocation: { altsrc: 'GPS', geopointsrc: 'GPS' },
    group: { role: 'HQ', name: 'White' },
    status: { battery: 64 },
    track: { course: 264.37051618, speed: 2.57948687 },
    xmlDetail: '<uid Droid="JULIET-1"/>',
  };
}
