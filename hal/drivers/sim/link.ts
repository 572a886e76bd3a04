// The simulated receiver as a link: `sim://?lat=59.91&lon=10.75&speed=walk` writes NMEA
// (GGA, GSA, GSV, RMC) once a second for the current time, like a receiver on a serial port.
// Parameters: lat, lon (loop centre), speed (walk, drive or m/s), radius (m), alt (m MSL),
// loss (seconds between fix losses, 0 never), rate (epochs per second, default 1).
import type { ByteLink, LinkOptions, LinkProvider } from '../../contract.js';
import { ChunkQueue } from '../../links/chunk-queue.js';
import { HalLinkError } from '../../links/errors.js';
import { epochSentences } from './nmea-writer.js';
import { SIM_SPEEDS, SimTrack, type SimTrackOptions } from './track.js';

export function simTrackOptions(url: URL): SimTrackOptions {
  const p = url.searchParams;
  const number = (name: string, fallback: number): number => {
    const raw = p.get(name);
    const value = raw === null ? fallback : Number(raw);
    if (!Number.isFinite(value)) throw new HalLinkError('open-failed', `${url.href}: ${name} must be a number`);
    return value;
  };
  const speedName = p.get('speed') ?? 'walk';
  const speed = speedName in SIM_SPEEDS ? SIM_SPEEDS[speedName as keyof typeof SIM_SPEEDS] : Number(speedName);
  if (!Number.isFinite(speed) || speed < 0) throw new HalLinkError('open-failed', `${url.href}: speed must be walk, drive or m/s`);
  const lat = number('lat', 59.9139);
  const lon = number('lon', 10.7522);
  if (Math.abs(lat) > 85 || Math.abs(lon) > 180) throw new HalLinkError('open-failed', `${url.href}: lat/lon out of range`);
  return {
    lat,
    lon,
    speed,
    radius: number('radius', 0),
    altMSL: number('alt', 100),
    fixLossEverySeconds: number('loss', 300),
  };
}

class SimLink implements ByteLink {
  readonly description: string;
  private readonly queue = new ChunkQueue();
  private readonly timer: NodeJS.Timeout;
  private readonly startTime: number;

  constructor(private readonly track: SimTrack, private readonly intervalMs: number, private readonly now: () => number, url: URL) {
    this.description = `sim ${url.search}`;
    this.startTime = now();
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.tick();
  }

  chunks(): AsyncIterable<Buffer> {
    return this.queue;
  }

  async write(): Promise<void> {
    // A real receiver would take configuration here; the simulator ignores it.
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.queue.end(new HalLinkError('canceled', `${this.description}: closed locally`));
  }

  private tick(): void {
    const time = Math.floor(this.now() / this.intervalMs) * this.intervalMs; // receivers report whole epochs
    this.queue.push(Buffer.from(epochSentences(this.track.at(time, this.startTime)), 'latin1'));
  }
}

export class SimLinkProvider implements LinkProvider {
  readonly scheme = 'sim';

  constructor(private readonly now: () => number = Date.now) {}

  async open(options: LinkOptions): Promise<ByteLink> {
    const trackOptions = simTrackOptions(options.url);
    const rate = Number(options.url.searchParams.get('rate') ?? 1);
    if (!Number.isFinite(rate) || rate <= 0 || rate > 50) throw new HalLinkError('open-failed', `${options.url.href}: rate must be 1..50`);
    return new SimLink(new SimTrack(trackOptions), 1000 / rate, this.now, options.url);
  }
}
