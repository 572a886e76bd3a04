/**
 * The running daemon, as wiring: a TakdConfig → supervised components (outputs, inputs,
 * sources) joined by the router (routing-stage.ts), own position (pli/own-position.ts) fed
 * by the sources' fixes, and the status publisher (status-publisher.ts) reading them all;
 * what starts and stops in which order, and what a reload re-applies.
 */
import { defaultLinkProviders, SimLinkProvider, type LinkProviders } from '../../hal/index.js';
import { hostname } from 'node:os';
import type { Logger } from '../log.js';
import { CotClock, OwnPosition } from '../pli/index.js';
import { openTransportFromSpec, type Transport, type TransportOptions } from '../transports/index.js';
import { daemonTransportOptions, type OutputTransportSettings } from '../transports/output-settings.js';
import type { TransportSpec } from '../transports/url.js';
import { sectionFingerprint, type SourceConfig, type TakdConfig } from '../../config/view.js';
import type { Component, ComponentSpec } from './component.js';
import { TransportComponent, type Renewal } from './components.js';
import { feedsOwnPosition, ownPliTargets, sourceComponent } from '../sources/index.js';
import { MartiComponent, type ClientDirectory } from '../marti/index.js';
import { EnrollmentComponent } from '../pki/enrollment-component.js';
import { pkiPaths } from '../pki/paths.js';
import { watchRevocationFile } from '../transports/revocation.js';
import { Hub } from '../hub/hub.js';
import type { HubMemberSettings, OutputEnrollment } from '../../config/view.js';
import type { SystemdNotifier } from './notify.js';
import { StatusPublisher } from './status-publisher.js';
import { RoutingStage } from './routing-stage.js';
import { Supervisor } from './supervisor.js';


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
  private readonly ownPosition: OwnPosition;
  private readonly publisher: StatusPublisher;
  /** GPS sources (and AIS own ship) hand their fixes to own position. */
  private readonly onFix: OwnPosition['onFix'];
  /** The hub's client list for the data-package server's clientEndPoints; undefined: no hub (an empty list). */
  clientDirectory: ClientDirectory | undefined;
  /** The clients of every hub listener, one TAK server (daemon/hub); its settings are read at start. */
  private readonly hub: Hub;
  private revocationFile: string | undefined;
  private unwatchRevocations: (() => void) | undefined;

  constructor(private readonly options: DaemonOptions) {
    this.config = options.config;
    this.logger = options.logger;
    this.supervisor = new Supervisor({ logger: options.logger });
    // One notion of "now" for CoT times and staleness: GPS time while the system clock is unsynchronised.
    const cotClock = new CotClock();
    this.routing = new RoutingStage(options.logger.child({ component: 'routing' }), options.env, cotClock);
    this.ownPosition = new OwnPosition({ clock: cotClock, send: (outputId, event) => this.routing.sendTo(outputId, event) });
    this.onFix = this.ownPosition.onFix;
    const { replayTtlMs, mailboxPerRecipient } = this.config.hub;
    this.hub = new Hub({ replayTtlMs, mailboxPerRecipient, mailboxTotal: mailboxPerRecipient * 50 }, options.logger.child({ component: 'hub' }));
    this.clientDirectory = this.hub.directory;
    this.publisher = new StatusPublisher({
      version: options.version,
      logger: options.logger,
      notifier: options.notifier,
      env: options.env,
      readers: {
        components: () => this.supervisor.statuses(),
        router: () => this.routing.status(),
        gps: () => this.ownPosition.gpsState(feedsOwnPosition(this.config.sources)),
        configFile: () => this.config.file ?? null,
        hub: () => this.hub.status(),
        console: {
          publish: (event) => this.routing.publish(event, 'api'),
          observe: (listener) => (this.routing.observer = listener),
          identity: () => ({ uid: this.ownPosition.uid, callsign: this.config.identity.callsign ?? hostname() }),
        },
      },
    });
    this.providers = options.providers ?? defaultLinkProviders();
    if (!this.providers.has('sim')) this.providers.set('sim', new SimLinkProvider());
  }

  /** Starts everything; throws ComponentStartError (nothing left running) if a component cannot start. */
  async start(): Promise<void> {
    this.watchRevocations(this.config);
    await this.ownPosition.configure(this.config, this.pliTargets(this.config));
    this.routing.configure(this.config);
    try {
      await this.supervisor.start(this.specs(this.config));
    } catch (error) {
      this.routing.close();
      throw error;
    }
    await this.publisher.start(this.config.status);
    this.ownPosition.start();
    this.logger.child({ component: 'takd' }).info({ sources: this.config.sources.length, inputs: this.config.inputs.length, outputs: this.config.outputs.length, statusFile: this.publisher.statusPath }, 'takd running');
  }

  /** Applies a reloaded configuration; unchanged outputs and sources keep their connections. */
  async reload(next: TakdConfig): Promise<void> {
    this.publisher.reloading();
    this.config = next;
    this.watchRevocations(next);
    await this.ownPosition.configure(next, this.pliTargets(next));
    this.routing.configure(next);
    const result = await this.supervisor.apply(this.specs(next));
    this.logger.child({ component: 'takd' }).info(result, 'configuration reloaded');
    this.publisher.reloaded();
  }

  /** Stops intake, flushes outputs for at most shutdown_timeout, closes everything. */
  async stop(): Promise<void> {
    this.publisher.stopping();
    this.unwatchRevocations?.();
    this.unwatchRevocations = undefined;
    this.ownPosition.stop();
    await this.supervisor.stopAll(this.config.shutdownTimeoutMs);
    this.hub.close();
    this.routing.close();
    await this.publisher.stopped();
  }

  /**
   * Every TLS port (tls+listen, wss+listen, https marti, enrollment) refuses the certificates
   * in [pki] dir/revoked.json and closes their connections when `takd user revoke` adds them.
   */
  private watchRevocations(config: TakdConfig): void {
    const tlsPorts = config.inputs.some((i) => i.spec.kind === 'tls-listen' || i.spec.kind === 'wss-listen') || config.marti?.listen.scheme === 'https' || config.enrollment !== undefined;
    const file = tlsPorts ? pkiPaths(config.pki.dir).revoked : undefined;
    if (file === this.revocationFile) return;
    this.unwatchRevocations?.();
    this.unwatchRevocations = undefined;
    this.revocationFile = file;
    if (file === undefined) return;
    const logger = this.logger.child({ component: 'pki' });
    this.unwatchRevocations = watchRevocationFile(file, (message) => logger.warn({}, message));
  }

  /** The outputs that take our PLI; Meshtastic radios too, their airtime budget thins it out. */
  private pliTargets(config: TakdConfig): string[] {
    return [...config.outputs.filter((o) => o.pli).map((o) => o.id), ...ownPliTargets(config.sources)];
  }

  private specs(config: TakdConfig): ComponentSpec[] {
    const specs = [
      ...config.outputs.map((output) => this.transportSpec(config, 'output', output.id, output.spec, output, output.hub, output)),
      ...config.inputs.map((input) => this.transportSpec(config, 'input', input.id, input.spec, { tls: input.tls, limits: input.limits }, input.hub)),
    ];
    const marti = config.marti;
    if (marti !== undefined) {
      // The server itself is loaded by MartiComponent.start (dynamic import): nothing without [marti].
      specs.push({
        id: 'marti',
        kind: 'input',
        fingerprint: sectionFingerprint(config.loaded, 'marti'),
        create: () =>
          new MartiComponent('marti', {
            settings: marti,
            logger: this.logger.child({ component: 'marti' }),
            version: this.options.version,
            nodeId: this.ownPosition.uid,
            env: this.options.env,
            directory: () => this.clientDirectory,
          }),
      });
    }
    const enrollment = config.enrollment;
    if (enrollment !== undefined) {
      specs.push({
        id: 'enrollment',
        kind: 'input',
        fingerprint: sectionFingerprint(config.loaded, 'enrollment') + sectionFingerprint(config.loaded, 'pki'),
        create: () => new EnrollmentComponent('enrollment', { settings: enrollment, pki: config.pki, logger: this.logger.child({ component: 'enrollment' }) }),
      });
    }
    for (const source of config.sources.filter((s) => s.enabled)) {
      specs.push({ id: source.id, kind: 'source', fingerprint: sectionFingerprint(config.loaded, source.id), create: () => this.sourceComponent(source) });
    }
    return specs;
  }

  private sourceComponent(source: SourceConfig): Component {
    return sourceComponent(source, {
      providers: this.providers,
      logger: this.logger.child({ component: source.id }),
      queueCapacity: this.config.maxInQueue,
      routing: this.routing,
      publish: (event, from) => this.routing.publish(event, from),
      onOwnFix: this.onFix,
      // Only a current fix is beaconed: an old position on air misleads more than none.
      ownFix: () => this.ownPosition.currentFix(),
    });
  }

  /** An output or input: its transport, made anew on each (re)start, attached to the router. */
  private transportSpec(config: TakdConfig, kind: 'output' | 'input', id: string, spec: TransportSpec, settings: Partial<OutputTransportSettings>, hub: HubMemberSettings, credentials: { enroll?: OutputEnrollment; package?: string } = {}): ComponentSpec {
    const options = (tls = settings.tls): TransportOptions => ({
      ...daemonTransportOptions({ ...settings, tls }, {
        id,
        logger: this.logger.child({ component: id }),
        onEvent: (event) => this.routing.publish(event, id),
        inboundGate: this.routing.inboundGate,
        ownUid: this.ownPosition.uid,
        lastReport: () => this.ownPosition.lastReport(),
      }),
      // Listeners only (the others ignore it): their clients join the hub.
      ...(hub.member ? { hub: { hub: this.hub, bindIdentity: hub.bindIdentity } } : {}),
    });
    const { enroll, package: pkg } = credentials;
    let make: () => Transport | Promise<Transport> = () => openTransportFromSpec(spec, options());
    let renewal: Renewal | undefined;
    if (enroll !== undefined) {
      let renewAtMs: number | undefined;
      make = async () => {
        const enrolled = await this.enrolledTls(id, enroll, spec, settings);
        renewAtMs = enrolled.renewAt;
        return openTransportFromSpec(spec, options(enrolled.tls));
      };
      renewal = { renewAt: () => renewAtMs, log: (message) => this.logger.child({ component: id }).info({}, message) };
    }
    else if (pkg !== undefined) {
      make = async () => {
        const { packagedTls } = await import('../enroll/package-output.js');
        return openTransportFromSpec(spec, options(await packagedTls(pkg, id, settings.tls ?? {}, this.options.env)));
      };
    }
    return { id, kind, fingerprint: sectionFingerprint(config.loaded, id), create: () => new TransportComponent(id, kind, make, this.routing, renewal) };
  }

  /** A tak:// output's certificate, stored or enrolled now (daemon/enroll, loaded only for such outputs). */
  private async enrolledTls(id: string, enroll: OutputEnrollment, spec: TransportSpec, settings: Partial<OutputTransportSettings>): Promise<{ tls: OutputTransportSettings['tls']; renewAt: number }> {
    const { enrolledTls, renewAt } = await import('../enroll/resolve.js');
    const logger = this.logger.child({ component: id });
    const enrolled = await enrolledTls(enroll, settings.tls ?? {}, {
      streamingPort: 'port' in spec ? spec.port : 8089,
      clientUid: this.ownPosition.uid,
      env: this.options.env,
      warn: (message) => logger.warn({}, message),
      info: (message) => logger.info({}, message),
    });
    return { tls: enrolled.tls, renewAt: renewAt(enrolled.notAfter) };
  }
}
