/**
 * Starting the data-package server from its settings: TLS material checked (and the
 * client-certificate rule applied), the store opened (temporaries removed, index rebuilt),
 * the socket bound. Loaded by index.ts with a dynamic import.
 */
import type { Logger } from '../log.js';
import type { ClientDirectory } from './client-directory.js';
import { MartiServer, type MartiLimits } from './server.js';
import { defaultPackageDir, type MartiSettings } from './settings.js';
import { PackageStore } from './store.js';
import { martiTlsOptions } from './tls.js';

export interface MartiService {
  server: MartiServer;
  store: PackageStore;
  close(): Promise<void>;
}

export interface MartiStartOptions {
  settings: MartiSettings;
  logger: Logger;
  version: string;
  nodeId: string;
  directory: ClientDirectory;
  env?: NodeJS.ProcessEnv;
  /** Tests: tighter limits than the defaults. */
  limits?: Partial<MartiLimits>;
}

export async function startMarti(options: MartiStartOptions): Promise<MartiService> {
  const { settings, logger } = options;
  let tls;
  if (settings.listen.scheme === 'https') {
    tls = martiTlsOptions(settings);
    if (!settings.requireClientCert) logger.warn({}, 'marti: require_client_cert = false: any client that reaches the port can upload and download data packages');
  } else if (settings.tls.cert !== undefined || settings.tls.clientCa !== undefined) {
    logger.warn({}, 'marti: cert/client_ca are set but the url is http+listen: plain HTTP, no TLS');
  }
  const dir = settings.dir ?? defaultPackageDir(options.env);
  const store = new PackageStore(dir, { maxFileSize: settings.maxFileSize, quota: settings.quota });
  const opened = store.open();
  logger.info({ dir, packages: opened.packages, bytes: store.usedBytes, removed: opened.removed }, 'marti: package store opened');
  const server = new MartiServer({
    listen: settings.listen,
    tls,
    advertise: settings.advertise,
    store,
    directory: options.directory,
    version: options.version,
    nodeId: options.nodeId,
    logger,
    limits: {
      maxConcurrentUploads: settings.maxUploads,
      maxConnectionsPerAddress: settings.maxClientsPerAddress,
      uploadTimeoutMs: settings.uploadTimeoutMs,
      ...options.limits,
    },
  });
  await server.listen();
  logger.info({ url: `${settings.listen.scheme}://${settings.listen.host}:${server.boundPort}`, advertise: settings.advertise }, 'marti: data-package server listening');
  return { server, store, close: () => server.close() };
}
