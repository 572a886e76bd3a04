// gpsd JSON reports → GnssFix. TPV carries the fix; SKY carries DOPs and satellite counts,
// which are attached to the TPVs that follow. Other classes (VERSION, DEVICES, WATCH, GST…)
// are counted and ignored. Never throws on input.
import type { Decoder, FixMode, FixStatus, GnssFix } from '../../contract.js';

export type GpsdDecoderCounters = {
  reports: number;
  fixes: number;
  sky: number;
  ignored: number;
  malformed: number;
};

interface SkyState {
  hdop?: number;
  vdop?: number;
  pdop?: number;
  satellitesUsed?: number;
  satellitesVisible?: number;
}

const MODES: readonly FixMode[] = [0, 1, 2, 3];

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function within(value: unknown, limit: number): number | undefined {
  const n = finite(value);
  return n !== undefined && Math.abs(n) <= limit ? n : undefined;
}

export class GpsdDecoder implements Decoder<string, GnssFix> {
  readonly counters: GpsdDecoderCounters = { reports: 0, fixes: 0, sky: 0, ignored: 0, malformed: 0 };
  private sky: SkyState = {};

  decode(line: string, emit: (fix: GnssFix) => void): void {
    let report: unknown;
    try {
      report = JSON.parse(line);
    } catch {
      this.counters.malformed++;
      return;
    }
    if (typeof report !== 'object' || report === null || Array.isArray(report)) {
      this.counters.malformed++;
      return;
    }
    this.counters.reports++;
    const r = report as Record<string, unknown>;
    if (r.class === 'TPV') {
      const fix = this.tpv(r);
      if (fix === undefined) {
        this.counters.malformed++;
        return;
      }
      this.counters.fixes++;
      emit(fix);
    } else if (r.class === 'SKY') {
      this.counters.sky++;
      this.readSky(r);
    } else {
      this.counters.ignored++;
    }
  }

  flush(): void {
    // gpsd sends whole reports; nothing is pending between lines.
  }

  reset(): void {
    this.sky = {};
  }

  private tpv(r: Record<string, unknown>): GnssFix | undefined {
    const mode = MODES.find((m) => m === r.mode);
    if (mode === undefined) return undefined;
    const fix: GnssFix = { mode, sentences: ['TPV'] };
    if (typeof r.time === 'string') {
      const time = Date.parse(r.time);
      if (Number.isFinite(time)) fix.time = time;
    }
    const status = finite(r.status);
    if (status !== undefined && Number.isInteger(status) && status >= 1 && status <= 9) fix.status = status as FixStatus;
    if (mode >= 2) {
      const lat = within(r.lat, 90);
      const lon = within(r.lon, 180);
      if (lat !== undefined && lon !== undefined) {
        fix.lat = lat;
        fix.lon = lon;
      }
      const fields: [keyof GnssFix, unknown][] = [
        ['altMSL', r.altMSL ?? r.alt], ['altHAE', r.altHAE], ['geoidSep', r.geoidSep],
        ['speed', r.speed], ['track', r.track], ['eph', r.eph], ['epv', r.epv],
      ];
      const target = fix as unknown as Record<string, number>;
      for (const [key, value] of fields) {
        const n = finite(value);
        if (n !== undefined) target[key] = n;
      }
      // gpsd 3.22 sends epx/epy rather than eph on many receivers: combine them as eph.
      const epx = finite(r.epx);
      const epy = finite(r.epy);
      if (fix.eph === undefined && epx !== undefined && epy !== undefined) fix.eph = Math.hypot(epx, epy);
    }
    Object.assign(fix, this.sky);
    return fix;
  }

  private readSky(r: Record<string, unknown>): void {
    const sky: SkyState = {};
    const hdop = finite(r.hdop);
    const vdop = finite(r.vdop);
    const pdop = finite(r.pdop);
    if (hdop !== undefined) sky.hdop = hdop;
    if (vdop !== undefined) sky.vdop = vdop;
    if (pdop !== undefined) sky.pdop = pdop;
    const satellites = Array.isArray(r.satellites) ? (r.satellites as { used?: unknown }[]) : undefined;
    const used = finite(r.uSat) ?? satellites?.filter((s) => typeof s === 'object' && s !== null && s.used === true).length;
    const visible = finite(r.nSat) ?? satellites?.length;
    if (used !== undefined) sky.satellitesUsed = used;
    if (visible !== undefined) sky.satellitesVisible = visible;
    this.sky = sky;
  }
}
