// Who the box is on the map: uid, callsign, CoT type, team and role, contact endpoint and
// the takv software identity. The uid is stable across restarts: from config, else derived
// from /etc/machine-id (hashed, as systemd asks: the raw id is not to be broadcast).
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { CotTakv } from '../codec/event.js';

export interface PliIdentity {
  uid: string;
  callsign: string;
  /** CoT type, default `a-f-G-U-C` (friendly ground unit, combat). */
  type: string;
  /** Team colour (`__group@name`), e.g. Cyan. */
  team: string;
  /** Role (`__group@role`), e.g. Team Member. */
  role: string;
  /** `contact@endpoint`: `<ip>:4242:tcp` on mesh, `*:-1:stcp` via a server. */
  endpoint?: string;
  takv: CotTakv;
}

export const DEFAULT_PLI_TYPE = 'a-f-G-U-C';

/** `takd-` + 16 hex digits of SHA-256(machine id), or of the hostname when there is no machine id. */
export function deriveUid(machineId: string | undefined, fallback: string = hostname()): string {
  const digest = createHash('sha256').update(`takd:${machineId ?? fallback}`).digest('hex');
  return `takd-${digest.slice(0, 16)}`;
}

/** What the reporting policy compares to notice an identity change. */
export function identityKey(identity: PliIdentity): string {
  return [identity.uid, identity.callsign, identity.type, identity.team, identity.role, identity.endpoint ?? ''].join('|');
}
