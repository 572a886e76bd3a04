import type { TransportRole } from '../transports/url.js';

/**
 * What a link is to the box, and where its events go by default:
 * the box's own PLI and what the HTTP API is given (role `api`) go everywhere; what comes from the server goes to mesh, radios and
 * phones; what comes from mesh, radios and phones goes to the server.
 *
 * A transport's role comes from its parsed URL (`transportRole` in daemon/transports/url.ts):
 * 'server' a TAK Server connection (tcp://, tls://), 'mesh' Mesh SA (udp://), 'peers' a
 * listener phones connect to (tcp+listen://, tls+listen://, with or without +ro/+wo),
 * 'sink' log:// and file:// — a record of everything, 'fleet' an MQTT broker the boxes of a
 * fleet share (mqtt://, mqtts://).
 *
 * Loop freedom: no role takes its own role by default except phones (the hub). A fleet
 * output never takes what came from a fleet link, so a box never re-publishes what it got
 * from the broker (and mesh never takes mesh). Fleet events go to mesh, radios, phones and
 * sinks, not to the TAK server: every box of the fleet would push the same event there.
 */
export type LinkRole =
  | 'self' // the own-position reporter and health telemetry
  | 'device' // a radio or sensor driver (AIS, APRS, Meshtastic)
  | 'api' // the HTTP API (POST /api/cot, /api/markers, /api/chat: daemon/console)
  | TransportRole;

/** For each output role, the source roles it takes when the output names none. */
const DEFAULT_SOURCES: Record<LinkRole, readonly LinkRole[]> = {
  server: ['self', 'device', 'api', 'mesh', 'peers'],
  mesh: ['self', 'device', 'api', 'server', 'peers', 'fleet'],
  device: ['self', 'api', 'server', 'peers', 'fleet'],
  peers: ['self', 'device', 'api', 'server', 'mesh', 'peers', 'fleet'],
  sink: ['self', 'device', 'api', 'server', 'mesh', 'peers', 'fleet'],
  fleet: ['self', 'device', 'api', 'server', 'mesh', 'peers'],
  self: [],
  api: [],
};

export function acceptsByDefault(outputRole: LinkRole, sourceRole: LinkRole): boolean {
  return DEFAULT_SOURCES[outputRole].includes(sourceRole);
}
