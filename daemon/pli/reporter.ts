/**
 * The own-position reporter: GPS fixes in, PLI events out, on a separate schedule per
 * output (a TAK Server over TLS is "reliable"; mesh and radios are "unreliable" and usually
 * get a slower rate). Without a fix it either stays silent or re-sends the last known
 * position with ce grown by its age; it never invents a position (no 0,0).
 * Call tick() about once a second (the daemon's timer, or a test's simulated clock) so that
 * reports are forced before they go stale even when no fixes arrive.
 */
import type { CotEvent } from '../codec/event.js';
import type { GnssFix } from '../../hal/contract.js';
import { identityKey, type PliIdentity } from './identity.js';
import { DEFAULT_REPORTING, ReportingPolicy, type PositionSample, type ReportReason, type ReportingOptions } from './policy.js';
import { buildPliEvent, hasPosition, type PositionFix } from './report.js';
import { CotClock } from './time.js';

export interface PliOutputSchedule {
  /** Output id from config, e.g. `output.mesh`. */
  name: string;
  reporting?: Partial<ReportingOptions>;
  /**
   * contact@endpoint as seen through this output, overriding the identity's: ATAK uses
   * `<ip>:4242:tcp` on mesh and `*:-1:stcp` through a TAK Server.
   */
  endpoint?: string;
}

export type NoFixBehaviour = 'silent' | 'last-known';

export interface PliReporterOptions {
  identity: PliIdentity;
  outputs: PliOutputSchedule[];
  /** What to send without a fix. Default 'last-known'. */
  noFix?: NoFixBehaviour;
  /** The last known position is not re-sent once it is older than this. Default 15 min. */
  maxLastKnownAgeMs?: number;
  /** Where CoT timestamps come from (system or GPS time). */
  clock?: CotClock;
  /**
   * A monotonic ms clock for the schedules, so that adopting GPS time (a jump of years) does
   * not upset them. Default performance.now().
   */
  scheduleNow?: () => number;
  /** Extra, slowly changing fields: battery percent and health remarks. */
  extras?: () => { battery?: number; remarks?: string };
  send(output: string, event: CotEvent, reason: ReportReason): void;
}

interface OutputState {
  name: string;
  policy: ReportingPolicy;
  endpoint?: string;
}

export class PliReporter {
  private identity: PliIdentity;
  private readonly outputs: OutputState[];
  private readonly clock: CotClock;
  private lastFix: PositionFix | undefined;
  private lastFixAt = 0;
  private readonly scheduleNow: () => number;
  readonly counters = { fixes: 0, noFix: 0, reports: 0, forced: 0 };

  constructor(private readonly options: PliReporterOptions) {
    this.identity = options.identity;
    this.clock = options.clock ?? new CotClock();
    this.scheduleNow = options.scheduleNow ?? (() => performance.now());
    this.outputs = options.outputs.map((o) => ({
      name: o.name,
      policy: new ReportingPolicy({ ...DEFAULT_REPORTING, ...o.reporting }),
      ...(o.endpoint === undefined ? {} : { endpoint: o.endpoint }),
    }));
  }

  /** Callsign, team, role or type changed: the next fix is reported at once on every output. */
  setIdentity(identity: PliIdentity): void {
    this.identity = identity;
  }

  onFix(fix: GnssFix): void {
    this.clock.observeGpsTime(fix.time);
    if (!hasPosition(fix)) {
      this.counters.noFix++;
      return;
    }
    this.counters.fixes++;
    const now = this.scheduleNow();
    this.lastFix = fix;
    this.lastFixAt = now;
    const sample = this.sample(fix);
    for (const output of this.outputs) {
      const decision = output.policy.onSample(sample, now);
      if (decision !== undefined) this.emit(output, fix, 0, decision.staleMs, decision.reason);
    }
  }

  /** Forces reports whose previous one is about to go stale. */
  tick(): void {
    const fix = this.lastFix;
    if (fix === undefined) return;
    const now = this.scheduleNow();
    const ageMs = now - this.lastFixAt;
    const fresh = ageMs <= 2000;
    if (!fresh && ((this.options.noFix ?? 'last-known') === 'silent' || ageMs > (this.options.maxLastKnownAgeMs ?? 15 * 60_000))) return;
    for (const output of this.outputs) {
      if (!output.policy.forcedDue(now)) continue;
      const decision = output.policy.recordForced(this.sample(fix), now);
      this.counters.forced++;
      this.emit(output, fix, ageMs, decision.staleMs, decision.reason);
    }
  }

  private sample(fix: PositionFix): PositionSample {
    const sample: PositionSample = { lat: fix.lat, lon: fix.lon, identity: identityKey(this.identity) };
    if (fix.altHAE !== undefined) sample.hae = fix.altHAE;
    if (fix.speed !== undefined) sample.speed = fix.speed;
    return sample;
  }

  private emit(output: OutputState, fix: PositionFix, ageMs: number, staleMs: number, reason: ReportReason): void {
    const extras = this.options.extras?.() ?? {};
    const identity = output.endpoint === undefined ? this.identity : { ...this.identity, endpoint: output.endpoint };
    const event = buildPliEvent({ fix, identity, time: this.clock.now(), staleMs, ageMs, ...extras });
    this.counters.reports++;
    this.options.send(output.name, event, reason);
  }
}
