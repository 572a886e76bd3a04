// Link URL → provider. Serial is loaded lazily so that commands without serial ports never
// load the native serialport binding.
import type { ByteLink, LinkDefaults, LinkOptions, LinkProvider } from '../contract.js';
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

/** Which of a driver's link defaults a scheme takes: a serial port its speed, a TCP client its port. */
const DEFAULT_OF_SCHEME: Readonly<Record<string, keyof LinkDefaults>> = { serial: 'baud', tcp: 'port' };

export interface LinkWithDefaults {
  /** The link URL as it is opened: the one given, with the defaults it did not say written in. */
  url: URL;
  /** The driver defaults that were applied (none when the URL says, or the scheme takes none). */
  applied: LinkDefaults;
}

/**
 * The driver's link defaults where the URL does not say: `?baud=` on serial://, the port on
 * tcp://. Replay files keep their own pacing default (4800), sim:// and udp:// take none.
 * The one rule for the Source that opens the link and `takd config show` that reports it.
 */
export function applyLinkDefaults(url: string | URL, defaults: LinkDefaults): LinkWithDefaults {
  const resolved = new URL(url);
  const applied: LinkDefaults = {};
  const takes = DEFAULT_OF_SCHEME[resolved.protocol.replace(/:$/, '')];
  if (takes === 'baud' && defaults.baud !== undefined && !resolved.searchParams.has('baud')) {
    resolved.searchParams.set('baud', String(defaults.baud));
    applied.baud = defaults.baud;
  }
  if (takes === 'port' && defaults.port !== undefined && resolved.port === '') {
    resolved.port = String(defaults.port);
    applied.port = defaults.port;
  }
  return { url: resolved, applied };
}

/**
 * Parses a link URL, applies the driver's link defaults and finds its provider; throws
 * (open-failed) for an unknown scheme.
 */
export function resolveLink(url: string | URL, providers: LinkProviders, defaults: LinkDefaults = {}): { provider: LinkProvider; options: LinkOptions } {
  const parsed = applyLinkDefaults(url, defaults).url;
  const scheme = parsed.protocol.replace(/:$/, '');
  const provider = providers.get(scheme);
  if (provider === undefined) {
    throw new HalLinkError('open-failed', `${parsed.href}: unknown link scheme '${scheme}' (allowed: ${[...providers.keys()].join(', ')})`);
  }
  const baud = parsed.searchParams.get('baud');
  return { provider, options: baud === null ? { url: parsed } : { url: parsed, baud: Number(baud) } };
}
