// Seeded generators for tests and benchmarks: ATAK-style PLI as XML text (written the way
// ATAK writes it, not by our encoder), and random CotEvents for property tests.
import type { CotEvent } from '../../daemon/codec/event.js';
import { xmlElement } from '../../daemon/codec/xml/encode.js';

/** mulberry32: small, fast, seedable; good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEAMS = ['White', 'Yellow', 'Orange', 'Magenta', 'Red', 'Maroon', 'Purple', 'Dark Blue', 'Blue', 'Cyan', 'Teal', 'Green'];
const ROLES = ['Team Member', 'Team Lead', 'HQ', 'Sniper', 'Medic', 'Forward Observer', 'RTO', 'K9'];
const DEVICES = ['GOOGLE PIXEL 7', 'SAMSUNG SM-G991U', 'SAMSUNG SM-T870', 'ONEPLUS KB2005'];
const CALLSIGN_WORDS = ['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA', 'ECHO', 'FOXTROT', 'JULIET', 'KILO', 'LIMA', 'MIKE'];

function hex(random: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += Math.floor(random() * 16).toString(16);
  return s;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** One ATAK-style PLI event (~700 bytes with declaration), as ATAK 4.x writes it. */
export function atakPliXml(random: () => number, index: number, baseTime = Date.UTC(2024, 4, 1, 12)): string {
  const uid = `ANDROID-${hex(random, 16)}`;
  const callsign = `${pick(random, CALLSIGN_WORDS)}-${1 + (index % 40)}`;
  const time = new Date(baseTime + index * 137).toISOString();
  const stale = new Date(baseTime + index * 137 + 75_000).toISOString();
  const lat = (38 + random() * 2).toFixed(7);
  const lon = (-106 + random() * 2).toFixed(7);
  const hae = (1500 + random() * 300).toFixed(3);
  const ce = (3 + random() * 10).toFixed(1);
  const remarks = random() < 0.3 ? `<remarks>Checkpoint ${index % 17} &amp; rally point</remarks>` : '';
  const link =
    random() < 0.2 ? `<link uid="ANDROID-${hex(random, 16)}" type="a-f-G-U-C" relation="p-p" production_time="${time}"/>` : '';
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<event version="2.0" uid="${uid}" type="a-f-G-U-C" how="m-g" time="${time}" start="${time}" stale="${stale}" access="Undefined">` +
    `<point lat="${lat}" lon="${lon}" hae="${hae}" ce="${ce}" le="9999999.0"/>` +
    '<detail>' +
    `<takv os="34" version="4.10.0.0 (90402c80).1691730052-CIV" device="${pick(random, DEVICES)}" platform="ATAK-CIV"/>` +
    `<contact endpoint="192.168.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}:4242:tcp" callsign="${callsign}"/>` +
    `<uid Droid="${callsign}"/>` +
    '<precisionlocation altsrc="GPS" geopointsrc="GPS"/>' +
    `<__group role="${pick(random, ROLES)}" name="${pick(random, TEAMS)}"/>` +
    `<status battery="${Math.floor(random() * 101)}"/>` +
    `<track course="${(random() * 360).toFixed(8)}" speed="${(random() * 3).toFixed(8)}"/>` +
    remarks +
    link +
    '</detail></event>'
  );
}

/** A corpus of `count` PLI events as one stream (what a TAK Server connection delivers). */
export function atakPliCorpus(count: number, seed = 1, baseTime?: number): string[] {
  const random = seededRandom(seed);
  const events: string[] = [];
  for (let i = 0; i < count; i++) events.push(atakPliXml(random, i, baseTime));
  return events;
}

const AWKWARD = ['&', '<', '>', '"', "'", 'é', 'ß', '漢', '😀', ' ', '\t', '\n', ';', '=', '/', '&amp;', ']]>'];

/** A random string mixing ASCII, XML specials, non-ASCII and (optionally) tabs/newlines. */
export function awkwardString(random: () => number, maxLength = 12, allowEmpty = false): string {
  const length = (allowEmpty ? 0 : 1) + Math.floor(random() * maxLength);
  let s = '';
  for (let i = 0; i < length; i++) {
    s += random() < 0.3 ? pick(random, AWKWARD) : String.fromCharCode(0x21 + Math.floor(random() * 94));
  }
  return s;
}

function randomNumber(random: () => number, scale: number): number {
  const kind = random();
  if (kind < 0.1) return 0;
  if (kind < 0.2) return Math.round((random() - 0.5) * scale) + 0; // + 0 turns -0 into 0
  return (random() - 0.5) * scale;
}

/** A random CotEvent using every field the model has, each present at random. */
export function randomCotEvent(random: () => number): CotEvent {
  const time = Date.UTC(2000, 0, 1) + Math.floor(random() * 1e12);
  const event: CotEvent = {
    uid: awkwardString(random, 30),
    type: pick(random, ['a-f-G-U-C', 'a-h-G', 'b-t-f', 't-x-c-t', 'a-n-S-X-M', 'u-d-p']),
    how: pick(random, ['m-g', 'h-e', 'h-g-i-g-o', 'm-s']),
    time,
    start: time + Math.floor(random() * 1000),
    stale: time + Math.floor(random() * 86_400_000),
    point: {
      lat: (random() - 0.5) * 180,
      lon: (random() - 0.5) * 360,
      hae: random() < 0.2 ? 9999999 : randomNumber(random, 20000),
      ce: random() < 0.3 ? 9999999 : Math.abs(randomNumber(random, 200)),
      le: random() < 0.5 ? 9999999 : Math.abs(randomNumber(random, 200)),
    },
  };
  if (random() < 0.3) event.access = awkwardString(random);
  if (random() < 0.1) event.qos = awkwardString(random);
  if (random() < 0.1) event.opex = awkwardString(random);
  if (random() < 0.6) {
    event.contact = { callsign: awkwardString(random) };
    if (random() < 0.5) event.contact.endpoint = awkwardString(random, 20);
    if (random() < 0.3) event.contact.phone = awkwardString(random, 12);
  }
  if (random() < 0.5) event.group = { name: awkwardString(random), role: awkwardString(random) };
  if (random() < 0.5) {
    event.takv = { device: awkwardString(random), platform: awkwardString(random), os: awkwardString(random), version: awkwardString(random) };
  }
  if (random() < 0.5) event.status = { battery: Math.floor(random() * 101) };
  if (random() < 0.5) event.track = { speed: Math.abs(randomNumber(random, 60)), course: random() * 360 };
  if (random() < 0.5) event.precisionLocation = { geopointsrc: awkwardString(random), altsrc: awkwardString(random) };
  if (random() < 0.6) {
    let fragment = '';
    const parts = 1 + Math.floor(random() * 3);
    for (let i = 0; i < parts; i++) {
      const kind = random();
      if (kind < 0.4) fragment += xmlElement('remarks', { source: awkwardString(random), time: '2024-01-01T00:00:00Z' }, awkwardString(random, 40));
      else if (kind < 0.7) fragment += xmlElement('link', { uid: awkwardString(random), type: 'a-f-G', relation: 'p-p' });
      else if (kind < 0.85) fragment += xmlElement('uid', { Droid: awkwardString(random) });
      else fragment += `<marti><dest callsign="${'X'.repeat(1 + Math.floor(random() * 5))}"/></marti>`;
    }
    event.xmlDetail = fragment;
  }
  return event;
}
