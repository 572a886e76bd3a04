/**
 * The data-package server as a supervised component. This file is all the daemon imports
 * statically; the server (node:http/https, the store, the parser) is loaded with a dynamic
 * import in start(), so a configuration without [marti] pays nothing for it.
 */
import type { Component, ComponentStatus } from '../lifecycle/component.js';
import type { Logger } from '../log.js';
import { NO_CLIENTS, type ClientDirectory } from './client-directory.js';
import type { MartiLimits } from './server.js';
import type { MartiService } from './service.js';
import type { MartiSettings } from './settings.js';

export type { ClientDirectory, ClientEndpoint } from './client-directory.js';
export { martiSettings, parseMartiUrl, type MartiSettings } from './settings.js';

export interface MartiComponentOptions {
  settings: MartiSettings;
  logger: Logger;
  version: string;
  /** Our uid, reported as nodeId. */
  nodeId: string;
  /** The hub's client list, asked at each request; default: none. */
  directory?: () => ClientDirectory | undefined;
  env?: NodeJS.ProcessEnv;
  limits?: Partial<MartiLimits>;
}

export class MartiComponent implements Component {
  readonly kind = 'input' as const;
  private service: MartiService | undefined;

  constructor(readonly id: string, private readonly options: MartiComponentOptions) {}

  async start(): Promise<void> {
    const { startMarti } = await import('./service.js');
    const directory: ClientDirectory = { clients: () => (this.options.directory?.() ?? NO_CLIENTS).clients() };
    this.service = await startMarti({ ...this.options, directory });
  }

  async stop(): Promise<void> {
    const service = this.service;
    this.service = undefined;
    await service?.close();
  }

  /** The bound port (tests listen on port 0). */
  get port(): number | undefined {
    return this.service?.server.boundPort;
  }

  status(): ComponentStatus {
    const service = this.service;
    if (service === undefined) return { id: this.id, kind: this.kind, state: 'stopped', detail: 'not started', counters: {} };
    const { server, store } = service;
    const { scheme, host } = { scheme: server.scheme, host: this.options.settings.listen.host };
    return {
      id: this.id,
      kind: this.kind,
      state: 'connected',
      detail: `serving data packages on ${scheme}://${host}:${server.boundPort}: ${store.count} packages, ${store.usedBytes} of ${store.limits.quota} bytes`,
      counters: { ...server.counters, packages: store.count, storedBytes: store.usedBytes, uploadsInProgress: store.uploadsInProgress },
    };
  }
}
