/**
 * The six typed detail elements of TAK protocol v1 (spec §5.5, §6): for each, whether a
 * CotEvent value fits its protobuf sub-message whole (§6.1.2: whole element or nothing),
 * and how to convert it each way. One row per element.
 */
import { MAX_BATTERY, type CotEvent, type TypedDetailKey } from '../event.js';
import type { WireDetail } from './schema.js';

/** commoncommo clamps battery values above this (spec §7). */

type TypedValue<K extends TypedDetailKey> = NonNullable<CotEvent[K]>;
type WireValue<K extends TypedDetailKey> = NonNullable<WireDetail[K]>;

interface TypedDetailRow<K extends TypedDetailKey> {
  /** True when the value travels as its sub-message; false: it must travel as XML. */
  fits(value: TypedValue<K>): boolean;
  /** The wire sub-message of a value that fits. */
  toWire(value: TypedValue<K>): WireValue<K>;
  fromWire(wire: WireValue<K>): TypedValue<K>;
}

type TypedDetailTable = { [K in TypedDetailKey]: TypedDetailRow<K> };

const always = () => true;

export const TYPED_DETAIL: TypedDetailTable = {
  contact: {
    // phone has no wire field; an empty endpoint would not come back (receivers write endpoint only when non-empty).
    fits: (c) => c.phone === undefined && c.endpoint !== '',
    toWire: (c) => (c.endpoint === undefined ? { callsign: c.callsign } : { endpoint: c.endpoint, callsign: c.callsign }),
    fromWire: (w) => (w.endpoint ? { callsign: w.callsign ?? '', endpoint: w.endpoint } : { callsign: w.callsign ?? '' }),
  },
  group: {
    fits: always,
    toWire: (g) => ({ name: g.name, role: g.role }),
    fromWire: (w) => ({ name: w.name ?? '', role: w.role ?? '' }),
  },
  precisionLocation: {
    fits: always,
    toWire: (p) => ({ geopointsrc: p.geopointsrc, altsrc: p.altsrc }),
    fromWire: (w) => ({ geopointsrc: w.geopointsrc ?? '', altsrc: w.altsrc ?? '' }),
  },
  status: {
    fits: (s) => Number.isInteger(s.battery) && s.battery >= 0,
    toWire: (s) => ({ battery: Math.min(s.battery, MAX_BATTERY) }),
    fromWire: (w) => ({ battery: Math.min(w.battery ?? 0, MAX_BATTERY) }),
  },
  takv: {
    fits: always,
    toWire: (t) => ({ device: t.device, platform: t.platform, os: t.os, version: t.version }),
    fromWire: (w) => ({ device: w.device ?? '', platform: w.platform ?? '', os: w.os ?? '', version: w.version ?? '' }),
  },
  track: {
    fits: (t) => Number.isFinite(t.speed) && Number.isFinite(t.course),
    toWire: (t) => ({ speed: t.speed, course: t.course }),
    fromWire: (w) => ({ speed: w.speed ?? 0, course: w.course ?? 0 }),
  },
};
