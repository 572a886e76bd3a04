/**
 * Everything that tells the outside how takd is doing, from one snapshot: status.json
 * (status.ts), the optional HTTP endpoint (/health, /metrics, /status: http.ts) and systemd
 * (READY/RELOADING/STOPPING, a STATUS line when it changes, WATCHDOG: notify.ts). The daemon
 * hands in readers for the parts it owns (components, router, fix) and tells the publisher
 * where in its life it is; what is published, and when, is decided here.
 */
import type { TakdConfig } from '../../config/view.js';
import type { HubStatus } from '../hub/hub.js';
import type { Logger } from '../log.js';
import type { OutputCounters } from '../routing/counters.js';
import type { RouterStatus } from '../routing/router.js';
import type { ConsoleHooks } from '../console/index.js';
import type { ComponentStatus } from './component.js';
import type { StatusHttp } from './http.js';
import type { SystemdNotifier } from './notify.js';
import { ProcessMonitor } from './process-gauges.js';
import { defaultStatusDir, StatusFile, type GpsState, type StatusSnapshot } from './status.js';

/** What the snapshot is made of, read each time one is taken. */
export interface StatusReaders {
  components(): ComponentStatus[];
  router(): RouterStatus;
  gps(): GpsState;
  configFile(): string | null;
  /** The hub (daemon/hub), when the daemon has one. */
  hub?(): HubStatus;
  /** What the console (daemon/console) may use: publishing as `api`, seeing routed events, the box's identity. */
  console?: Omit<ConsoleHooks, 'snapshot'>;
}

export interface StatusPublisherOptions {
  version: string;
  logger: Logger;
  readers: StatusReaders;
  notifier?: SystemdNotifier;
  env?: NodeJS.ProcessEnv;
  /** How often systemd's STATUS line is recomputed (sent only when it changed). Default 5 s. */
  systemdStatusMs?: number;
}

export class StatusPublisher {
  private readonly startedAt = Date.now();
  private ready = false;
  private statusFile: StatusFile | undefined;
  private http: StatusHttp | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastStatusLine = '';
  private readonly processMonitor = new ProcessMonitor();

  constructor(private readonly options: StatusPublisherOptions) {}

  /** Where status.json is written (once started). */
  get statusPath(): string | undefined {
    return this.statusFile?.path;
  }

  /**
   * Everything is running: status.json from now on, the HTTP endpoint if configured (throws
   * if it cannot listen), systemd's READY=1 with a summary, its STATUS updates and watchdog.
   */
  async start(settings: TakdConfig['status']): Promise<void> {
    const { notifier, env, logger } = this.options;
    this.ready = true;
    this.processMonitor.start();
    if (settings.http !== undefined) {
      // Loaded only when configured: node:http and the console are idle RSS a daemon without it need not pay.
      const { startStatusHttp } = await import('./http.js');
      this.http = await startStatusHttp({ settings: { ...settings, http: settings.http }, snapshot: () => this.snapshot(), console: this.options.readers.console, logger: logger.child({ component: 'http' }), env });
    }
    // After the endpoint listens: a status.json saying ready means /health answers too.
    this.statusFile = new StatusFile(settings.dir ?? defaultStatusDir(env), () => this.snapshot(), logger.child({ component: 'status' }));
    this.statusFile.start();
    this.timer = setInterval(() => this.updateSystemdStatus(), this.options.systemdStatusMs ?? 5000);
    notifier?.ready(this.summary());
    notifier?.startWatchdog();
  }

  /** A reload begins (systemd: RELOADING=1). */
  reloading(): void {
    this.options.notifier?.reloading();
  }

  /** A reload was applied (systemd: READY=1 with the new summary). */
  reloaded(): void {
    this.options.notifier?.ready(this.summary());
  }

  /** The stop begins: systemd hears STOPPING=1 and no more STATUS lines. */
  stopping(): void {
    this.options.notifier?.stopping();
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Everything is stopped: a last status.json (ready: false), and the HTTP endpoint closes. */
  async stopped(): Promise<void> {
    this.ready = false;
    this.processMonitor.stop();
    this.statusFile?.writeNow();
    this.statusFile?.stop();
    await this.http?.close();
    this.http = undefined;
  }

  snapshot(): StatusSnapshot {
    const { readers } = this.options;
    return {
      version: this.options.version,
      pid: process.pid,
      startedAt: new Date(this.startedAt).toISOString(),
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      ready: this.ready,
      configFile: readers.configFile(),
      gps: readers.gps(),
      components: readers.components(),
      ...routingSnapshot(readers.router()),
      ...(readers.hub ? { hub: readers.hub() } : {}),
      process: this.processMonitor.gauges(),
      ...(this.http ? { http: this.http.counters() } : {}),
    };
  }

  /** systemd's one-line STATUS. */
  summary(): string {
    const components = this.options.readers.components();
    const outputs = components.filter((c) => c.kind === 'output');
    const up = outputs.filter((c) => c.state === 'connected').length;
    const gps = this.options.readers.gps();
    const eventsOut = routingSnapshot(this.options.readers.router()).counters.eventsOut;
    return `${up}/${outputs.length} outputs up, ${components.filter((c) => c.kind === 'source').length} sources, GPS ${gps.fix}, ${eventsOut} events out`;
  }

  private updateSystemdStatus(): void {
    const line = this.summary();
    if (line !== this.lastStatusLine) this.options.notifier?.status(line);
    this.lastStatusLine = line;
  }
}

/** The router's counters: totals for the summary fields, and per output by reason. */
function routingSnapshot(router: RouterStatus): Pick<StatusSnapshot, 'counters' | 'router'> {
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
