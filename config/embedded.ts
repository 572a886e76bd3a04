/**
 * The embedded default: with no configuration file at all, takd still does something useful
 * and safe — identity from the machine, GPS from gpsd on localhost if it answers, else a
 * serial GPS found the way `takd serial list` finds one, and output to ATAK's Mesh SA default
 * (udp 239.2.3.1:6969, TTL 1, local network only). Environment and flags still apply on top,
 * and a source or output they define replaces the embedded choice of that kind.
 *
 * This file only decides; looking at the machine (is gpsd there, which serial devices) is
 * the daemon's, passed in as EmbeddedProbes (daemon/cli/embedded-probes.ts).
 */
import type { DeviceInfo } from '../hal/contract.js';
import type { RawSetting } from './layers.js';
import type { LoadedConfig } from './loader.js';
import { splitSectionId } from './schema.js';

export const MESH_SA_URL = 'udp://239.2.3.1:6969';

export interface EmbeddedProbes {
  /** Does a gpsd answer on 127.0.0.1:2947? */
  gpsdAnswers(): Promise<boolean>;
  /** A serial device that looks like a GNSS receiver. */
  serialGps(): Promise<DeviceInfo | undefined>;
}

export interface EmbeddedChoice {
  settings: RawSetting[];
  /** What was chosen and why, for the first log lines. */
  reasons: string[];
}

function hasKind(config: LoadedConfig, kind: string): boolean {
  return [...config.sections.keys()].some((id) => splitSectionId(id).kind === kind);
}

/** The embedded choices for a config read without a file; nothing when a file was read. */
/** True when no setting came from a file: there is none, or it is all comments (as the .deb ships it). */
export function fileSetsNothing(config: LoadedConfig): boolean {
  if (config.file === undefined) return true;
  for (const section of config.sections.values()) {
    for (const setting of section.values()) if (setting.origin.layer === 'ini') return false;
  }
  return true;
}

export async function embeddedDefault(config: LoadedConfig, probes: EmbeddedProbes): Promise<EmbeddedChoice> {
  const choice: EmbeddedChoice = { settings: [], reasons: [] };
  if (!fileSetsNothing(config)) return choice;
  const noFile = config.file === undefined ? 'no configuration file' : `${config.file} sets nothing`;
  const add = (section: string, key: string, text: string, why: string): void => {
    choice.settings.push({ section, key, text, origin: { layer: 'embedded', why } });
  };
  if (!hasKind(config, 'output')) {
    const why = `${noFile}: ATAK Mesh SA default, TTL 1 keeps it on the local network`;
    add('output.mesh', 'url', MESH_SA_URL, why);
    add('output.mesh', 'ttl', '1', why);
    choice.reasons.push(`output.mesh: ${MESH_SA_URL} TTL 1 (${why})`);
  }
  if (!hasKind(config, 'source')) {
    if (await probes.gpsdAnswers()) {
      const why = 'gpsd answers on 127.0.0.1:2947';
      add('source.gps', 'driver', 'gpsd', why);
      choice.reasons.push(`source.gps: gpsd at tcp://127.0.0.1:2947 (${why})`);
    } else {
      const device = await probes.serialGps();
      if (device !== undefined) {
        const why = `no gpsd; ${device.path} looks like a GNSS receiver (USB ${device.vendorId ?? '?'}:${device.productId ?? '?'})`;
        add('source.gps', 'driver', 'nmea-gnss', why);
        add('source.gps', 'link', `serial://${device.path}`, why);
        choice.reasons.push(`source.gps: ${device.path} (${why})`);
      } else {
        choice.reasons.push('no GPS: gpsd does not answer on 127.0.0.1:2947 and no serial GNSS receiver was found; no position is reported until one is configured');
      }
    }
  }
  return choice;
}
