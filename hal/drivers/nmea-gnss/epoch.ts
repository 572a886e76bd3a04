// What the sentences of one fix epoch said, kept per sentence kind so that finishing the epoch
// can choose by priority (position from GGA before GNS before RMC before GLL, and so on).

export interface PositionReport {
  lat?: number;
  lon?: number;
  /** false when the sentence itself says the position is not valid (RMC/GLL `V`, GGA quality 0). */
  valid: boolean;
}

export interface GgaReport extends PositionReport {
  quality: number;
  altMSL?: number;
  geoidSep?: number;
  satellitesUsed?: number;
  hdop?: number;
}

export interface GnsReport extends PositionReport {
  /** Mode indicator characters, one per constellation (N none, A autonomous, D differential, …). */
  modes: string;
  altMSL?: number;
  geoidSep?: number;
  satellitesUsed?: number;
  hdop?: number;
}

/** Garmin's $PGRMZ: altitude (converted to metres) and fix dimension. */
export interface AltitudeReport {
  altMSL?: number;
  mode?: number;
}

export interface MotionReport {
  /** Metres per second. */
  speed?: number;
  /** Degrees true. */
  track?: number;
}

export interface RmcReport extends PositionReport, MotionReport {
  /** NMEA 2.3 mode indicator (A, D, E, F, R, S, N), '' when absent. */
  modeIndicator: string;
}

export interface GsaReport {
  /** 1 no fix, 2 2D, 3 3D. */
  mode?: number;
  satellitesUsed: number;
  pdop?: number;
  hdop?: number;
  vdop?: number;
}

export interface GstReport {
  /** Standard deviations, metres (1 sigma). */
  latSigma?: number;
  lonSigma?: number;
  altSigma?: number;
}

/** One epoch under construction. */
export class EpochData {
  /** Milliseconds since midnight UTC, from the first sentence that carried a time. */
  timeOfDay: number | undefined;
  /** The timeRank of the sentence that set timeOfDay. */
  timeRank = 0;
  gga: GgaReport | undefined;
  gns: GnsReport | undefined;
  rmc: RmcReport | undefined;
  gll: PositionReport | undefined;
  vtg: MotionReport | undefined;
  gst: GstReport | undefined;
  pgrmz: AltitudeReport | undefined;
  /** Best GSA of the epoch (multi-constellation receivers send one per system). */
  gsa: GsaReport | undefined;
  /** Satellites in view, summed over talkers (GSV message 1 of each talker). */
  satellitesVisible: number | undefined;
  /** Day number (days since 1970) when a sentence of this epoch carried the date. */
  day: number | undefined;
  readonly sentences: string[] = [];
  /** The type of the last sentence in this epoch that carried a time: how we learn the cycle end. */
  lastTimedType = '';

  /** Whether any sentence said something about the fix (position or its absence). */
  hasFixReport(): boolean {
    return this.gga !== undefined || this.gns !== undefined || this.rmc !== undefined || this.gll !== undefined || this.gsa !== undefined;
  }

  addGsa(report: GsaReport): void {
    if (this.gsa === undefined) {
      this.gsa = report;
      return;
    }
    this.gsa.satellitesUsed += report.satellitesUsed;
    if (report.mode !== undefined && (this.gsa.mode === undefined || report.mode > this.gsa.mode)) {
      this.gsa.mode = report.mode;
    }
    this.gsa.pdop ??= report.pdop;
    this.gsa.hdop ??= report.hdop;
    this.gsa.vdop ??= report.vdop;
  }
}
