// Link URL → provider. Serial is loaded lazily so that commands without serial ports never
// load the native serialport binding.
import type { ByteLink, LinkOptions, LinkProvider } from '../contract.js';
import { HalLinkError } from './errors.js';
import { ReplayLinkProvider } from './replay.js';
import { TcpLinkProvider } from './tcp.js';
import { UdpLinkProvider } from './udp.js';
import { SimLinkProvider } from '../drivers/sim/link.js';

class LazySerialProvider implements LinkProvider {
  readonly scheme = 'serial';
  private real: Promise<LinkProvider> | undefined;

  async open(options: LinkOptions): Promise<ByteLink> {
    this.real ??= import('./serial.js').then((m) => new m.SerialLinkProvider());
    return (await this.real).open(options);
  }
}

export type LinkProviders = Map<string, LinkProvider>;

/** The real providers: serial, tcp, udp (receive), file (replay), and sim (the simulated receiver). Tests add `mock`. */
export function defaultLinkProviders(): LinkProviders {
  const providers: LinkProvider[] = [new LazySerialProvider(), new TcpLinkProvider(), new UdpLinkProvider(), new ReplayLinkProvider(), new SimLinkProvider()];
  return new Map(providers.map((p) => [p.scheme, p]));
}

/** Parses a link URL and finds its provider; throws (open-failed) for an unknown scheme. */
export function resolveLink(url: string | URL, providers: LinkProviders): { provider: LinkProvider; options: LinkOptions } {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  const scheme = parsed.protocol.replace(/:$/, '');
  const provider = providers.get(scheme);
  if (provider === undefined) {
    throw new HalLinkError('open-failed', `${parsed.href}: unknown link scheme '${scheme}' (allowed: ${[...providers.keys()].join(', ')})`);
  }
  const baud = parsed.searchParams.get('baud');
  return { provider, options: baud === null ? { url: parsed } : { url: parsed, baud: Number(baud) } };
}
