/**
 * Own position as the daemon runs it, in one place so that what the daemon runs is what the
 * tests test: GPS fixes in (from every source that produces them), PLI events out per
 * output through `send`, on the pli/ modules — identity (local.ts), reporter, health
 * telemetry, and the CoT clock the router judges staleness by. It also answers what the
 * rest of the daemon asks about our position: the fix state (status), a current fix (the
 * APRS beacon), the last report (a TAK Server connection's hello) and our uid.
 *
 * The identity probe and the health probes (processes, a large module) run only while
 * [pli] enabled = yes: health only rides on our PLI.
 */
import { hostname } from 'node:os';
import type { CotEvent } from '../codec/event.js';
import type { GnssFix, HealthSnapshot } from '../../hal/index.js';
import type { TakdConfig } from '../../config/view.js';
import { HealthTelemetry } from './health.js';
import type { PliIdentity } from './identity.js';
import { localIdentity, localUid, type LocalIdentityOptions } from './local.js';
import { PliReporter } from './reporter.js';
import type { CotClock } from './time.js';

/** A fix older than this is not current: status says "no-fix", the APRS beacon stays quiet. */
export const FIX_FRESH_MS = 10_000;

/** The configuration own position reads; a reload hands in the new one. */
export type OwnPositionConfig = Pick<TakdConfig, 'identity' | 'pli' | 'health'>;

/** The fix as status.json shows it. */
export interface GpsState {
  /** none: no GPS source; no-fix: sources but no position; 2d/3d: fix mode. */
  fix: 'none' | 'no-fix' | '2d' | '3d';
  /** Seconds since the last fix with a position. */
  ageSeconds?: number;
  lat?: number;
  lon?: number;
}

export interface OwnPositionOptions {
  clock: CotClock;
  /** A report for one output (the router's sendTo). */
  send(outputId: string, event: CotEvent): void;
  /** Tests inject these; defaults: the system's identity and health probes, Date.now. */
  resolveIdentity?: (options: LocalIdentityOptions) => Promise<PliIdentity>;
  healthProbe?: () => Promise<HealthSnapshot>;
  now?: () => number;
  /** How often forced reports are considered (PliReporter.tick). Default 1 s. */
  tickMs?: number;
  /** How often the health probes run. Default 60 s. */
  healthIntervalMs?: number;
}

export class OwnPosition {
  private config: OwnPositionConfig | undefined;
  /** Resolved only while PLI is on: its takv probes the system. */
  private identity: PliIdentity | undefined;
  private ownUid = 'takd';
  private reporter: PliReporter | undefined;
  private reporterKey = '';
  private lastFix: { at: number; fix: GnssFix } | undefined;
  private lastPli: CotEvent | undefined;
  private readonly health: HealthTelemetry;
  private readonly now: () => number;
  private timers: NodeJS.Timeout[] = [];
  private running = false;

  constructor(private readonly options: OwnPositionOptions) {
    this.health = new HealthTelemetry(options.healthProbe);
    this.now = options.now ?? Date.now;
  }

  /** Our uid, for transports that must recognise their own events; needs no probe. */
  get uid(): string {
    return this.ownUid;
  }

  /** true while PLI is on and reports are made. */
  get reporting(): boolean {
    return this.reporter !== undefined;
  }

  /**
   * Applies a configuration (at start and on reload). `targets` are the output ids that take
   * our PLI. A new reporter when the PLI settings or the targets changed; else only the
   * identity is updated (callsign, team, role: the reporter reports at once).
   */
  async configure(config: OwnPositionConfig, targets: readonly string[]): Promise<void> {
    this.config = config;
    const { identity } = config;
    this.ownUid = localUid(identity.uid);
    const resolve = this.options.resolveIdentity ?? localIdentity;
    this.identity = config.pli.enabled ? await resolve({ ...identity, callsign: identity.callsign ?? hostname() }) : undefined;
    const hadReporter = this.reporter !== undefined;
    this.rebuildReporter(config, targets);
    if (this.running && !hadReporter && this.healthWanted()) void this.refreshHealth();
  }

  /** Starts the reporter's tick and the health probes. */
  start(): void {
    this.running = true;
    this.timers.push(setInterval(() => this.reporter?.tick(), this.options.tickMs ?? 1000));
    if (this.healthWanted()) void this.refreshHealth();
    this.timers.push(
      setInterval(() => {
        if (this.healthWanted()) void this.refreshHealth();
      }, this.options.healthIntervalMs ?? 60_000),
    );
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.running = false;
  }

  /** A fix from a GPS source (or an AIS own-ship report). */
  onFix = (fix: GnssFix): void => {
    if (fix.mode >= 2 && fix.lat !== undefined) this.lastFix = { at: this.now(), fix };
    this.reporter?.onFix(fix);
  };

  /** The latest fix while it is current: an old position on air misleads more than none. */
  currentFix(): GnssFix | undefined {
    return this.lastFix !== undefined && this.now() - this.lastFix.at <= FIX_FRESH_MS ? this.lastFix.fix : undefined;
  }

  /** The last PLI sent, for a connection that opens with our position. */
  lastReport(): CotEvent | undefined {
    return this.lastPli;
  }

  /** The fix for status; `hasSource`: whether any enabled source produces our position. */
  gpsState(hasSource: boolean): GpsState {
    if (!hasSource) return { fix: 'none' };
    if (this.lastFix === undefined) return { fix: 'no-fix' };
    const ageMs = this.now() - this.lastFix.at;
    const { fix } = this.lastFix;
    const state: GpsState = { fix: ageMs > FIX_FRESH_MS ? 'no-fix' : fix.mode === 3 ? '3d' : '2d', ageSeconds: Math.round(ageMs / 1000) };
    if (fix.lat !== undefined) state.lat = fix.lat;
    if (fix.lon !== undefined) state.lon = fix.lon;
    return state;
  }

  private healthWanted(): boolean {
    return this.reporter !== undefined && this.config !== undefined && (this.config.health.battery || this.config.health.remarks);
  }

  private refreshHealth(): Promise<void> {
    // The fields in force when the probe ran; a failing probe keeps the last values.
    return this.health.refresh(this.config?.health);
  }

  private rebuildReporter(config: OwnPositionConfig, targets: readonly string[]): void {
    const { pli } = config;
    const key = JSON.stringify([pli, targets]);
    if (this.reporter !== undefined && key === this.reporterKey && this.identity !== undefined) {
      this.reporter.setIdentity(this.identity);
      return;
    }
    this.reporterKey = key;
    if (!pli.enabled || this.identity === undefined) {
      this.reporter = undefined;
      return;
    }
    const reporting = { stationaryIntervalMs: pli.stationaryIntervalMs, movingSlowestMs: pli.movingSlowestMs, movingFastestMs: pli.movingFastestMs };
    this.reporter = new PliReporter({
      clock: this.options.clock,
      identity: this.identity,
      outputs: targets.map((name) => ({ name, reporting })),
      noFix: pli.noFix,
      maxLastKnownAgeMs: pli.maxLastKnownAgeMs,
      extras: () => this.health.extras(),
      send: (outputId, event) => {
        if (pli.staleMs !== undefined) event.stale = event.time + pli.staleMs;
        this.lastPli = event;
        this.options.send(outputId, event);
      },
    });
  }
}
