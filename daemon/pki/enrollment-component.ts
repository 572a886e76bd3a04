/**
 * The enrollment server as a supervised component. The daemon imports only this file; the
 * server, forge and the PKI files are loaded in start(), so a configuration without
 * [enrollment] pays nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Component, ComponentStatus } from '../lifecycle/component.js';
import type { Logger } from '../log.js';
import { TransportConfigError } from '../transports/errors.js';
import type { EnrollmentServer } from './enrollment-server.js';
import { pkiPaths } from './paths.js';
import type { EnrollmentSettings, PkiSettings } from './settings.js';

export interface EnrollmentComponentOptions {
  settings: EnrollmentSettings;
  pki: PkiSettings;
  logger: Logger;
}

export class EnrollmentComponent implements Component {
  readonly kind = 'input' as const;
  private server: EnrollmentServer | undefined;

  constructor(readonly id: string, private readonly options: EnrollmentComponentOptions) {}

  async start(): Promise<void> {
    const paths = pkiPaths(this.options.pki.dir);
    for (const file of [paths.caCert, paths.caKey, paths.serverCert, paths.serverKey]) {
      if (!existsSync(file)) throw new TransportConfigError('url', `enrollment needs the box's CA and server certificate, and ${file} does not exist: run 'takd ca init' (with -c FILE when [pki] dir is set there)`);
    }
    const { EnrollmentServer } = await import('./enrollment-server.js');
    const server = new EnrollmentServer({
      settings: this.options.settings,
      paths,
      clientDays: this.options.pki.clientDays,
      tls: { key: readFileSync(paths.serverKey), cert: readFileSync(paths.serverCert), ca: readFileSync(paths.caCert) },
      logger: this.options.logger,
    });
    await server.listen();
    this.server = server;
    const { host } = this.options.settings.listen;
    this.options.logger.info({ url: `https://${host}:${server.boundPort}`, pki: paths.dir }, 'enrollment server listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }

  get port(): number | undefined {
    return this.server?.boundPort;
  }

  status(): ComponentStatus {
    const server = this.server;
    if (server === undefined) return { id: this.id, kind: this.kind, state: 'stopped', detail: 'not started', counters: {} };
    return { id: this.id, kind: this.kind, state: 'connected', detail: `enrollment on https://${this.options.settings.listen.host}:${server.boundPort}`, counters: server.status() };
  }
}
