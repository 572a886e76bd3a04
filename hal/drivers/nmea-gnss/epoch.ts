// What the sentences of one fix epoch said, kept per sentence kind so that finishing the epoch
// can choose by priority (position from GGA before GNS before RMC before GLL, and so on).

export interface PositionReport {
  lat?: number;
  lon?: number;
  /** false when the sentence itself says the position is not valid (RMC/GLL `V`, GGA quality 0). */
  valid: boolean;
  /** Decimal places of degrees the sentence's lat/lon text resolves. */
  degreeDecimals?: number;
}

export interface GgaReport extends PositionReport {
  /** Fix quality indicator, 0 invalid … 8 simulated. */
  quality: number;
  altMSL?: number;
  geoidSep?: number;
  /** Decimal places of the altitude and geoid separation text. */
  altitudeDecimals?: number;
  satellitesUsed?: number;
  hdop?: number;
}

export interface GnsReport extends PositionReport {
  /** Mode indicator characters, one per constellation (N none, A autonomous, D differential, …). */
  modes: string;
  /** NMEA 4.10 navigation status: U (unsafe) or V (not valid for navigation) make gpsd ignore the sentence's mode. */
  navigationStatus: string;
  altMSL?: number;
  geoidSep?: number;
  altitudeDecimals?: number;
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
  /** Status field D (differential) rather than A. */
  differential: boolean;
  /** NMEA 2.3 mode indicator (A, D, E, F, R, S, N), '' when absent. */
  modeIndicator: string;
}

export interface GllReport extends PositionReport {
  /** NMEA 2.3 mode indicator, '' when absent. */
  modeIndicator: string;
}

export interface GsaReport {
  /** 1 no fix, 2 2D, 3 3D; undefined when the sentence is too short or says E (dead reckoning). */
  mode?: number;
  /** NMEA 4.10 GNSS system id (1 GPS, 2 GLONASS, 3 Galileo, 4 BeiDou, 5 QZSS, 6 NavIC), when given. */
  systemId?: number;
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

/** One sentence's report, in arrival order: the fix mode is decided by replaying these (fix-mode.ts). */
export type ModeEvidence =
  | { sentence: 'GGA'; report: GgaReport }
  | { sentence: 'GNS'; report: GnsReport }
  | { sentence: 'RMC'; report: RmcReport }
  | { sentence: 'GLL'; report: GllReport }
  | { sentence: 'GSA'; report: GsaReport }
  | { sentence: 'PGRMZ'; report: AltitudeReport };

/** One epoch under construction. */
export class EpochData {
  /** Milliseconds since midnight UTC, from the first sentence that carried a time. */
  timeOfDay: number | undefined;
  /** The timeRank of the sentence that set timeOfDay. */
  timeRank = 0;
  gga: GgaReport | undefined;
  gns: GnsReport | undefined;
  rmc: RmcReport | undefined;
  gll: GllReport | undefined;
  vtg: MotionReport | undefined;
  gst: GstReport | undefined;
  pgrmz: AltitudeReport | undefined;
  /** The epoch's GSAs merged (multi-constellation receivers send one per system): best mode, satellites summed. */
  gsa: GsaReport | undefined;
  /** What each fix-bearing sentence said, in arrival order. */
  readonly evidence: ModeEvidence[] = [];
  /** NMEA 4.10 system ids whose GSA this epoch already counted (a repeated one adds no satellites). */
  private readonly gsaSystems = new Set<number>();
  /** Satellites in view, summed over talkers (GSV message 1 of each talker). */
  satellitesVisible: number | undefined;
  /** Day number (days since 1970) when a sentence of this epoch carried the date. */
  day: number | undefined;
  /** Sentence types in arrival order: the last one (and its count) is how the cycle end is learnt. */
  readonly sentences: string[] = [];

  /** How many sentences of this type the epoch holds. */
  countOf(type: string): number {
    let count = 0;
    for (const seen of this.sentences) if (seen === type) count++;
    return count;
  }

  /** Whether any sentence said something about the fix (position or its absence). */
  hasFixReport(): boolean {
    return this.gga !== undefined || this.gns !== undefined || this.rmc !== undefined || this.gll !== undefined || this.gsa !== undefined;
  }

  addGsa(report: GsaReport): void {
    this.evidence.push({ sentence: 'GSA', report });
    const repeated = report.systemId !== undefined && this.gsaSystems.has(report.systemId);
    if (report.systemId !== undefined) this.gsaSystems.add(report.systemId);
    if (this.gsa === undefined) {
      this.gsa = { ...report };
      return;
    }
    if (!repeated) this.gsa.satellitesUsed += report.satellitesUsed;
    if (report.mode !== undefined && (this.gsa.mode === undefined || report.mode > this.gsa.mode)) {
      this.gsa.mode = report.mode;
    }
    this.gsa.pdop ??= report.pdop;
    this.gsa.hdop ??= report.hdop;
    this.gsa.vdop ??= report.vdop;
  }
}
