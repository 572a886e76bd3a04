/**
 * Multicast interface selection: by name (`eth0`, re-resolved when its address changes,
 * e.g. after DHCP) or by an IPv4 address of this machine (PYTAK_MULTICAST_LOCAL_ADDR).
 */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

export interface ResolvedInterface {
  /** What the configuration said: a name or an address. */
  configured: string;
  /** The address to send from and join on; undefined while a named interface has none. */
  address: string | undefined;
}

/** The first address of the given family on a named interface, or undefined. */
export function interfaceAddress(name: string, family: 4 | 6): string | undefined {
  const entries = networkInterfaces()[name] ?? [];
  const wanted = family === 4 ? 'IPv4' : 'IPv6';
  // A link-local IPv6 address is the usual scope for multicast on a given link.
  const match = entries.find((entry) => entry.family === wanted);
  return match?.address;
}

export function resolveInterface(configured: string, family: 4 | 6): ResolvedInterface {
  if (isIP(configured) !== 0) return { configured, address: configured };
  if (family === 6) return { configured, address: `::%${configured}` };
  return { configured, address: interfaceAddress(configured, 4) };
}

/** Every address this machine has now, for recognising our own datagrams. */
export function localAddresses(): Set<string> {
  const addresses = new Set<string>();
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) addresses.add(entry.address);
  }
  return addresses;
}
