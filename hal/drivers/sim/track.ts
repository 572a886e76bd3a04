// A simulated receiver's motion: a circular loop around a start point at a constant speed,
// with the fix lost for a few seconds now and then. Pure function of time, so tests can ask
// for any second without waiting for it.
import type { SimulatedFix, SimulatedSatellite } from './nmea-writer.js';

export interface SimTrackOptions {
  /** Centre of the loop, degrees. */
  lat: number;
  lon: number;
  /** Metres above mean sea level, and the geoid separation reported with it. */
  altMSL?: number;
  geoidSep?: number;
  /** Ground speed, m/s (walking ≈ 1.4, driving ≈ 13.9). */
  speed: number;
  /** Loop radius, metres. */
  radius?: number;
  /** Every this many seconds the fix is lost… (0: never) */
  fixLossEverySeconds?: number;
  /** …for this many seconds. */
  fixLossSeconds?: number;
}

export const SIM_SPEEDS = { walk: 1.4, drive: 13.9 } as const;

const EARTH_RADIUS_M = 6_371_000;
const DEG = Math.PI / 180;

/** A fixed sky: PRN, elevation, azimuth at t=0 (azimuths drift slowly, as satellites do). */
const SKY: readonly [number, number, number, number][] = [
  [2, 62, 40, 44], [5, 35, 120, 41], [7, 18, 200, 36], [9, 71, 300, 46], [13, 24, 330, 38],
  [15, 47, 80, 43], [20, 12, 160, 31], [26, 55, 250, 45], [29, 8, 10, 0],
];

export class SimTrack {
  private readonly radius: number;
  private readonly options: Required<SimTrackOptions>;

  constructor(options: SimTrackOptions) {
    this.options = {
      altMSL: 100,
      geoidSep: 40,
      radius: 0,
      fixLossEverySeconds: 300,
      fixLossSeconds: 10,
      ...options,
    };
    // Default radius: one loop every ten minutes at this speed (at least 20 m).
    this.radius = this.options.radius > 0 ? this.options.radius : Math.max(20, (options.speed * 600) / (2 * Math.PI));
  }

  /** The receiver's state at `time` (epoch ms), seconds counted from `startTime`. */
  at(time: number, startTime: number): SimulatedFix {
    const seconds = (time - startTime) / 1000;
    const { lat, lon, speed, fixLossEverySeconds, fixLossSeconds } = this.options;
    const angle = (speed * seconds) / this.radius; // radians travelled round the loop
    const north = this.radius * Math.cos(angle);
    const east = this.radius * Math.sin(angle);
    const inLoss = fixLossEverySeconds > 0 && seconds % fixLossEverySeconds >= fixLossEverySeconds - fixLossSeconds;
    const satellites: SimulatedSatellite[] = SKY.map(([prn, elevation, azimuth, snr]) => ({
      prn,
      elevation,
      azimuth: (azimuth + seconds / 240) % 360,
      snr: inLoss ? 0 : snr,
      used: !inLoss && snr > 0,
    }));
    return {
      time,
      lat: lat + (north / EARTH_RADIUS_M) / DEG,
      lon: lon + (east / (EARTH_RADIUS_M * Math.cos(lat * DEG))) / DEG,
      altMSL: this.options.altMSL + 2 * Math.sin(angle * 3),
      geoidSep: this.options.geoidSep,
      speed,
      // Moving anticlockwise seen from above the loop's centre going north → east: heading = angle + 90°.
      track: (((angle / DEG + 90) % 360) + 360) % 360,
      valid: !inLoss,
      satellites,
      hdop: 0.9,
      vdop: 1.3,
      pdop: 1.6,
    };
  }
}
