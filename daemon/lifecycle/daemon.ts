/**
 * The running daemon: turns a TakdConfig into supervised components (outputs, inputs,
 * sources) joined by the router (routing-stage.ts), runs the own-position reporter on the GPS fixes, keeps
 * status.json, the optional HTTP endpoint and systemd informed, and applies reloads.
 */
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import type { CotEvent } from '../codec/event.js';
import { defaultLinkProviders, findDriver, healthRemarks, healthSnapshot, SimLinkProvider, type GnssFix, type LinkProviders } from '../../hal/index.js';
import type { Logger } from '../log.js';
import type { OutputCounters } from '../routing/counters.js';
import { CotClock, localIdentity, PliReporter, type PliIdentity } from '../pli/index.js';
import { localUid } from '../pli/local.js';
import { createTransportFromSpec, type TransportOptions } from '../transports/index.js';
import { outputTransportOptions } from '../transports/output-settings.js';
import { sectionFingerprint, type OutputConfig, type SourceConfig, type TakdConfig } from '../../config/view.js';
import type { Component, ComponentSpec } from './component.js';
import { SourceComponent, TransportComponent } from './components.js';
import { meshPliTargets, radioSourceComponent } from './radio-sources.js';
import type { SystemdNotifier } from './notify.js';
import { defaultStatusDir, StatusFile, type GpsState, type StatusSnapshot } from './status.js';
import { RoutingStage } from './routing-stage.js';
import { Supervisor } from './supervisor.js';

/** Drivers whose messages are GNSS fixes (for the PLI reporter), not CoT. */
const GPS_DRIVERS = new Set(['nmea-gnss', 'gpsd', 'sim']);
/** A fix older than this no longer counts as "have a fix" in status. */
const FIX_FRESH_MS = 10_000;

export interface DaemonOptions {
  config: TakdConfig;
  logger: Logger;
  version: string;
  notifier?: SystemdNotifier;
  env?: NodeJS.ProcessEnv;
  /** Link providers (tests add `mock`); default: serial, tcp, file, sim. */
  providers?: LinkProviders;
}

export class Daemon {
  private config: TakdConfig;
  private readonly logger: Logger;
  private readonly routing: RoutingStage;
  private readonly supervisor: Supervisor;
  private readonly providers: LinkProviders;
  private readonly startedAt = Date.now();
  /** The PLI identity, resolved only while PLI is on: its takv probes the system (processes, a large module). */
  private identity: PliIdentity | undefined;
  /** Our uid, for transports that must recognise their own events; needs no probe. */
  private ownUid = 'takd';
  private reporter: PliReporter | undefined;
  private reporterKey = '';
  private lastPli: CotEvent | undefined;
  private lastFix: { at: number; fix: GnssFix } | undefined;
  private health: { battery?: number; remarks?: string } = {};
  private ready = false;
  private statusFile: StatusFile | undefined;
  private http: Server | undefined;
  private timers: NodeJS.Timeout[] = [];
  private lastStatusLine = '';
  /** One notion of "now" for CoT times and staleness: GPS time while the system clock is unsynchronised. */
  private readonly cotClock = new CotClock();

  constructor(private readonly options: DaemonOptions) {
    this.config = options.config;
    this.logger = options.logger;
    this.supervisor = new Supervisor({ logger: options.logger });
    this.routing = new RoutingStage(options.logger.child({ component: 'routing' }), options.env, this.cotClock);
    this.providers = options.providers ?? defaultLinkProviders();
    if (!this.providers.has('sim')) this.providers.set('sim', new SimLinkProvider());
  }

  /** Starts everything; throws ComponentStartError (nothing left running) if a component cannot start. */
  async start(): Promise<void> {
    await this.resolveIdentity(this.config);
    this.rebuildReporter();
    this.routing.configure(this.config);
    try {
      await this.supervisor.start(this.specs(this.config));
    } catch (error) {
      this.routing.close();
      throw error;
    }
    this.ready = true;
    const statusDir = this.config.status.dir ?? defaultStatusDir(this.options.env);
    this.statusFile = new StatusFile(statusDir, () => this.snapshot(), this.logger.child({ component: 'status' }));
    this.statusFile.start();
    if (this.config.status.http !== undefined) {
      // Loaded only when configured: node:http is ~0.7 MiB of idle RSS a daemon without it need not pay.
      const { startStatusHttp } = await import('./http.js');
      this.http = await startStatusHttp(this.config.status.http, () => this.snapshot());
    }
    this.timers.push(setInterval(() => this.reporter?.tick(), 1000));
    this.timers.push(setInterval(() => this.updateSystemdStatus(), 5000));
    if (this.healthWanted()) void this.refreshHealth();
    this.timers.push(
      setInterval(() => {
        if (this.healthWanted()) void this.refreshHealth();
      }, 60_000),
    );
    this.options.notifier?.ready(this.summary());
    this.options.notifier?.startWatchdog();
    this.logger.child({ component: 'takd' }).info({ sources: this.config.sources.length, inputs: this.config.inputs.length, outputs: this.config.outputs.length, statusFile: this.statusFile.path }, 'takd running');
  }

  /** Applies a reloaded configuration; unchanged outputs and sources keep their connections. */
  async reload(next: TakdConfig): Promise<void> {
    this.options.notifier?.reloading();
    this.config = next;
    await this.resolveIdentity(next);
    const hadReporter = this.reporter !== undefined;
    this.rebuildReporter();
    if (!hadReporter && this.healthWanted()) void this.refreshHealth();
    this.routing.configure(next);
    const result = await this.supervisor.apply(this.specs(next));
    this.logger.child({ component: 'takd' }).info(result, 'configuration reloaded');
    this.options.notifier?.ready(this.summary());
  }

  /** Stops intake, flushes outputs for at most shutdown_timeout, closes everything. */
  async stop(): Promise<void> {
    this.options.notifier?.stopping();
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.supervisor.stopAll(this.config.shutdownTimeoutMs);
    this.routing.close();
    this.ready = false;
    this.statusFile?.writeNow();
    this.statusFile?.stop();
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
    this.http?.closeAllConnections();
  }

  component(id: string): Component | undefined {
    return this.supervisor.component(id);
  }

  snapshot(): StatusSnapshot {
    return {
      version: this.options.version,
      pid: process.pid,
      startedAt: new Date(this.startedAt).toISOString(),
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      ready: this.ready,
      configFile: this.config.file ?? null,
      gps: this.gpsState(),
      components: this.supervisor.statuses(),
      ...this.routingSnapshot(),
    };
  }

  /** The router's counters: totals for the summary fields, and per output by reason. */
  private routingSnapshot(): Pick<StatusSnapshot, 'counters' | 'router'> {
    const router = this.routing.status();
    const sum = (pick: (c: OutputCounters) => number): number => router.outputs.reduce((total, o) => total + pick(o.counters), 0);
    const dropped = {
      duplicate: router.counters.duplicates,
      stale: sum((c) => c.stale),
      'too-big': sum((c) => c.tooBig),
      overflow: sum((c) => c.overflow),
      evicted: sum((c) => c.evicted),
    };
    return { counters: { eventsIn: router.counters.received, eventsOut: sum((c) => c.sent), dropped }, router };
  }

  private gpsState(): GpsState {
    if (!this.config.sources.some((s) => s.enabled && (GPS_DRIVERS.has(s.driver) || s.radio.ownPosition))) return { fix: 'none' };
    if (this.lastFix === undefined) return { fix: 'no-fix' };
    const ageMs = Date.now() - this.lastFix.at;
    const { fix } = this.lastFix;
    const state: GpsState = { fix: ageMs > FIX_FRESH_MS ? 'no-fix' : fix.mode === 3 ? '3d' : '2d', ageSeconds: Math.round(ageMs / 1000) };
    if (fix.lat !== undefined) state.lat = fix.lat;
    if (fix.lon !== undefined) state.lon = fix.lon;
    return state;
  }

  private summary(): string {
    const components = this.supervisor.statuses();
    const outputs = components.filter((c) => c.kind === 'output');
    const up = outputs.filter((c) => c.state === 'connected').length;
    const gps = this.gpsState();
    return `${up}/${outputs.length} outputs up, ${components.filter((c) => c.kind === 'source').length} sources, GPS ${gps.fix}, ${this.routingSnapshot().counters.eventsOut} events out`;
  }

  private updateSystemdStatus(): void {
    const line = this.summary();
    if (line !== this.lastStatusLine) this.options.notifier?.status(line);
    this.lastStatusLine = line;
  }

  private async resolveIdentity(config: TakdConfig): Promise<void> {
    const { identity } = config;
    this.ownUid = localUid(identity.uid);
    this.identity = config.pli.enabled ? await localIdentity({ ...identity, callsign: identity.callsign ?? hostname() }) : undefined;
  }

  /** Health only rides on our PLI (battery, remarks): without a reporter its probes (processes, a large module) are wasted. */
  private healthWanted(): boolean {
    return this.reporter !== undefined && (this.config.health.battery || this.config.health.remarks);
  }

  private async refreshHealth(): Promise<void> {
    const snapshot = await healthSnapshot().catch(() => undefined);
    if (snapshot === undefined) return;
    const health: { battery?: number; remarks?: string } = {};
    if (this.config.health.battery && snapshot.battery !== undefined) health.battery = snapshot.battery.percent;
    if (this.config.health.remarks) health.remarks = healthRemarks(snapshot);
    this.health = health;
  }

  /** A new reporter when the PLI settings or the outputs it reports to changed; else only the identity is updated. */
  private rebuildReporter(): void {
    const { pli } = this.config;
    // Meshtastic radios take our PLI too; their airtime budget thins it out.
    const targets = [...this.config.outputs.filter((o) => o.pli).map((o) => o.id), ...meshPliTargets(this.config.sources)];
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
      clock: this.cotClock,
      identity: this.identity,
      outputs: targets.map((name) => ({ name, reporting })),
      noFix: pli.noFix,
      maxLastKnownAgeMs: pli.maxLastKnownAgeMs,
      extras: () => this.health,
      send: (outputId, event) => {
        if (pli.staleMs !== undefined) event.stale = event.time + pli.staleMs;
        this.lastPli = event;
        this.routing.sendTo(outputId, event);
      },
    });
  }

  private onFix = (fix: GnssFix): void => {
    if (fix.mode >= 2 && fix.lat !== undefined) this.lastFix = { at: Date.now(), fix };
    this.reporter?.onFix(fix);
  };

  private specs(config: TakdConfig): ComponentSpec[] {
    const specs: ComponentSpec[] = [];
    for (const output of config.outputs) {
      specs.push({
        id: output.id,
        kind: 'output',
        fingerprint: sectionFingerprint(config.loaded, output.id),
        create: () => new TransportComponent(output.id, 'output', () => createTransportFromSpec(output.spec, this.transportOptions(output.id, output)), this.routing),
      });
    }
    for (const input of config.inputs) {
      specs.push({
        id: input.id,
        kind: 'input',
        fingerprint: sectionFingerprint(config.loaded, input.id),
        create: () => new TransportComponent(input.id, 'input', () => createTransportFromSpec(input.spec, this.transportOptions(input.id, { tls: input.tls, limits: input.limits })), this.routing),
      });
    }
    for (const source of config.sources.filter((s) => s.enabled)) {
      specs.push({ id: source.id, kind: 'source', fingerprint: sectionFingerprint(config.loaded, source.id), create: () => this.radioSource(source) ?? this.sourceComponent(source.id, source.driver, source.link) });
    }
    return specs;
  }

  private radioSource(source: SourceConfig): Component | undefined {
    return radioSourceComponent(source, {
      providers: this.providers,
      logger: this.logger.child({ component: source.id }),
      queueCapacity: this.config.maxInQueue,
      routing: this.routing,
      publish: (event, from) => this.routing.publish(event, from),
      onOwnFix: this.onFix,
      // Only a current fix is beaconed: an old position on air misleads more than none.
      ownFix: () => (this.lastFix !== undefined && Date.now() - this.lastFix.at <= FIX_FRESH_MS ? this.lastFix.fix : undefined),
    });
  }

  private sourceComponent(id: string, driverName: string, link: string): Component {
    const driver = findDriver(driverName);
    if (driver === undefined) {
      return {
        id,
        kind: 'source',
        start: () => Promise.reject(new Error(`driver '${driverName}' is not in this build of takd`)),
        stop: () => Promise.resolve(),
        status: () => ({ id, kind: 'source', state: 'failed', detail: `driver '${driverName}' is not in this build`, counters: {} }),
      };
    }
    const isGps = GPS_DRIVERS.has(driverName);
    return new SourceComponent({
      id,
      link,
      driver,
      providers: this.providers,
      logger: this.logger.child({ component: id }),
      queueCapacity: this.config.maxInQueue,
      ...(isGps ? { onFix: this.onFix } : { onEvent: (event: CotEvent, from: string) => this.routing.publish(event, from) }),
    });
  }

  private transportOptions(id: string, settings: Partial<OutputConfig>): TransportOptions {
    const options: TransportOptions = {
      ...outputTransportOptions(settings),
      name: id,
      logger: this.logger.child({ component: id }),
      onEvent: (event) => this.routing.publish(event, id),
      inboundGate: this.routing.inboundGate,
      ownUid: this.ownUid,
    };
    if (settings.hello) options.hello = () => this.lastPli;
    return options;
  }
}
