/** URL → transport. The only place that knows every kind. */
import { StreamClient } from './stream-client.js';
import { StreamListener } from './stream-listener.js';
import { LineOutput } from './line-output.js';
import { MqttTransport } from './mqtt/mqtt-transport.js';
import type { TransportOptions } from './options.js';
import type { Transport } from './types.js';
import { UdpTransport } from './udp.js';
import { parseTransportUrl, type TransportSpec } from './url.js';
import { WssClient } from './wss/client.js';
import { WssListener } from './wss/listener.js';
import { MartiClient } from './marti/client.js';

export type { TransportOptions } from './options.js';
export type { Transport, CotInput, CotOutput, EventOrigin, OutputListener, TransportStatus } from './types.js';
export type { Logger } from '../../util/logger.js';
export { TransportConfigError } from './errors.js';
export { parseTransportUrl } from './url.js';

export function createTransportFromSpec(spec: TransportSpec, options: TransportOptions = {}): Transport {
  switch (spec.kind) {
    case 'tcp':
    case 'tls':
      return new StreamClient(spec, options);
    case 'tcp-listen':
    case 'tls-listen':
      return new StreamListener(spec, options);
    case 'udp':
      return new UdpTransport(spec, options);
    case 'wss':
      return new WssClient(spec, options);
    case 'marti':
      return new MartiClient(spec, options);
    case 'wss-listen':
      return new WssListener(spec, options);
    case 'log':
    case 'file':
      return new LineOutput(spec, options);
    case 'mqtt':
    case 'mqtts':
      return new MqttTransport(spec, options);
  }
}

/** Parses and builds; throws TransportConfigError (key `url`, …) on a bad URL or option. */
export function createTransport(url: string, options: TransportOptions = {}): Transport {
  return createTransportFromSpec(parseTransportUrl(url), { ...options, name: options.name ?? url });
}
