/**
 * What a link is to the box, and where its events go by default:
 * the box's own PLI goes everywhere; what comes from the server goes to mesh, radios and
 * phones; what comes from mesh, radios and phones goes to the server.
 */
export type LinkRole =
  | 'self' // the own-position reporter and health telemetry
  | 'device' // a radio or sensor driver (AIS, APRS, Meshtastic)
  | 'server' // a TAK Server connection (tcp://, tls://)
  | 'mesh' // Mesh SA (udp://)
  | 'peers' // a listener phones connect to (tcp+listen://, tls+listen://)
  | 'sink'; // log:// and file:// — a record of everything

/** For each output role, the source roles it takes when the output names none. */
const DEFAULT_SOURCES: Record<LinkRole, readonly LinkRole[]> = {
  server: ['self', 'device', 'mesh', 'peers'],
  mesh: ['self', 'device', 'server', 'peers'],
  device: ['self', 'server', 'peers'],
  peers: ['self', 'device', 'server', 'mesh', 'peers'],
  sink: ['self', 'device', 'server', 'mesh', 'peers'],
  self: [],
};

export function acceptsByDefault(outputRole: LinkRole, sourceRole: LinkRole): boolean {
  return DEFAULT_SOURCES[outputRole].includes(sourceRole);
}

/** The role of a transport from its URL scheme. */
export function roleOfUrl(url: string): LinkRole {
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  if (scheme.endsWith('+listen')) return 'peers';
  if (scheme.startsWith('udp')) return 'mesh';
  if (scheme === 'log' || scheme === 'file') return 'sink';
  return 'server';
}
