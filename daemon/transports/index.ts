/** URL → transport, through the transport table (table.ts); each transport's code loads on first use. */
import type { TransportOptions } from './options.js';
import { openTransportKind } from './table.js';
import type { Transport } from './types.js';
import { parseTransportUrl, type TransportSpec } from './url.js';

export type { TransportOptions } from './options.js';
export type { Transport, CotInput, CotOutput, EventOrigin, OutputListener, TransportStatus } from './types.js';
export type { Logger } from '../../util/logger.js';
export { TransportConfigError } from './errors.js';
export { parseTransportUrl } from './url.js';

/** The spec's transport, stopped; rejects with TransportConfigError on a bad option. */
export function openTransportFromSpec(spec: TransportSpec, options: TransportOptions = {}): Promise<Transport> {
  return openTransportKind(spec, options);
}

/** Parses and builds; rejects with TransportConfigError (key `url`, …) on a bad URL or option. */
export async function openTransport(url: string, options: TransportOptions = {}): Promise<Transport> {
  return openTransportKind(parseTransportUrl(url), { ...options, name: options.name ?? url });
}
