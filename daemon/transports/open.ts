/**
 * URL spec → transport for the daemon, each kind's module loaded when a configuration first
 * uses it (index.ts imports every kind, for the CLI and tests). A daemon with tcp and file
 * links never loads the wss, mqtt and marti clients and listeners (and what they pull in):
 * less to parse and keep resident at idle.
 */
import type { TransportOptions } from './options.js';
import type { Transport } from './types.js';
import type { TransportSpec } from './url.js';

export async function openTransport(spec: TransportSpec, options: TransportOptions = {}): Promise<Transport> {
  switch (spec.kind) {
    case 'tcp':
    case 'tls':
      return new (await import('./stream-client.js')).StreamClient(spec, options);
    case 'tcp-listen':
    case 'tls-listen':
      return new (await import('./stream-listener.js')).StreamListener(spec, options);
    case 'udp':
      return new (await import('./udp.js')).UdpTransport(spec, options);
    case 'wss':
      return new (await import('./wss/client.js')).WssClient(spec, options);
    case 'marti':
      return new (await import('./marti/client.js')).MartiClient(spec, options);
    case 'wss-listen':
      return new (await import('./wss/listener.js')).WssListener(spec, options);
    case 'log':
    case 'file':
      return new (await import('./line-output.js')).LineOutput(spec, options);
    case 'mqtt':
    case 'mqtts':
      return new (await import('./mqtt/mqtt-transport.js')).MqttTransport(spec, options);
  }
}
