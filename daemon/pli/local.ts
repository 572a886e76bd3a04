// The PLI identity of this machine: config values plus what hal/system finds out
// (machine id for the uid, device model and OS for takv).
import { readFileSync } from 'node:fs';
import { machineId, machineIdentity } from '../../hal/index.js';
import { DEFAULT_PLI_TYPE, deriveUid, type PliIdentity } from './identity.js';

export interface LocalIdentityOptions {
  uid?: string;
  callsign: string;
  type?: string;
  team?: string;
  role?: string;
  endpoint?: string;
}

function takdVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The uid alone: from config, else derived from the machine id (cheap, no probes). */
export function localUid(configured: string | undefined): string {
  return configured ?? deriveUid(machineId());
}

/** The full identity; asks the system for the device model and OS (takv), which spawns processes. */
export async function localIdentity(options: LocalIdentityOptions): Promise<PliIdentity> {
  const machine = await machineIdentity();
  const identity: PliIdentity = {
    uid: localUid(options.uid),
    callsign: options.callsign,
    type: options.type ?? DEFAULT_PLI_TYPE,
    team: options.team ?? 'Cyan',
    role: options.role ?? 'Team Member',
    takv: { device: machine.device, os: machine.os, platform: 'takd', version: takdVersion() },
  };
  if (options.endpoint !== undefined) identity.endpoint = options.endpoint;
  return identity;
}
