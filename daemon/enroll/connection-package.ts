/**
 * TAK connection packages (tak-server-api.md §3): a zip with a `*.pref` naming the server
 * (`connectString0` = HOST:PORT:ssl|tcp|udp), the client's PKCS#12 and the truststore. ATAK's
 * layout keeps them under `certs/` with `MANIFEST/manifest.xml`; iTAK's at the zip root; the
 * pref's locations may be Android paths (`/storage/emulated/0/atak/cert/x.p12`), so a
 * location is matched by its file name. `readConnectionPackage` is synchronous and reads no
 * key and loads no forge (the configuration uses it to learn the URL); credentials.ts opens
 * the PKCS#12 files.
 */
import { posix } from 'node:path';
import { readZip, type ZipEntry } from './zip-reader.js';
import { connectUrl, parseConnectString, parsePrefs, streamSetting, type ConnectTarget, type Prefs } from './prefs.js';

/** The PKCS#12 password when a package names none: the TAK world's default. */
export const DEFAULT_P12_PASSWORD = 'atakatak';

export class PackageError extends Error {
  override name = 'PackageError';
}

export interface ConnectionPackage {
  /** Where the pref was found, e.g. certs/config.pref. */
  prefName: string;
  target: ConnectTarget;
  /** tls://HOST:PORT (ssl), tcp://…, udp://… */
  url: string;
  description?: string;
  client?: { entry: ZipEntry; password: string };
  truststore?: { entry: ZipEntry; password: string };
  /** locationCallsign, locationTeam, atakRoleType when the package sets them. */
  identity: { callsign?: string; team?: string; role?: string };
}

function memberFor(entries: ZipEntry[], location: string | undefined, what: string): ZipEntry | undefined {
  if (location === undefined) return undefined;
  const base = posix.basename(location.replace(/\\/g, '/'));
  const matches = entries.filter((e) => posix.basename(e.name) === base);
  if (matches.length === 0) throw new PackageError(`the ${what} '${location}' named in the pref is not in the package`);
  if (matches.length > 1) throw new PackageError(`the ${what} '${base}' is in the package ${matches.length} times`);
  return matches[0];
}

/** The pref to read: the one with a connect string, ATAK's certs/config.pref before others. */
function findPref(entries: ZipEntry[]): { entry: ZipEntry; prefs: Prefs } {
  const candidates = entries.filter((e) => e.name.toLowerCase().endsWith('.pref')).sort((a, b) => Number(b.name === 'certs/config.pref') - Number(a.name === 'certs/config.pref'));
  if (candidates.length === 0) throw new PackageError('no *.pref file in the package: not a connection package');
  for (const entry of candidates) {
    const prefs = parsePrefs(entry.read().toString('utf8'));
    if (streamSetting(prefs, 'connectString') !== undefined) return { entry, prefs };
  }
  throw new PackageError(`no connectString0 in ${candidates.map((e) => e.name).join(', ')}`);
}

/** Reads the zip and its pref; throws PackageError or ZipRefused saying what is wrong. */
export function readConnectionPackage(zip: Buffer): ConnectionPackage {
  const entries = readZip(zip);
  const { entry, prefs } = findPref(entries);
  let target: ConnectTarget;
  try {
    target = parseConnectString(streamSetting(prefs, 'connectString') as string);
  } catch (error) {
    throw new PackageError((error as Error).message);
  }
  const pkg: ConnectionPackage = { prefName: entry.name, target, url: connectUrl(target), identity: {} };
  const description = streamSetting(prefs, 'description');
  if (description !== undefined) pkg.description = description;
  const client = memberFor(entries, streamSetting(prefs, 'certificateLocation'), 'client certificate');
  if (client !== undefined) pkg.client = { entry: client, password: streamSetting(prefs, 'clientPassword') ?? DEFAULT_P12_PASSWORD };
  const truststore = memberFor(entries, streamSetting(prefs, 'caLocation'), 'truststore');
  if (truststore !== undefined) pkg.truststore = { entry: truststore, password: streamSetting(prefs, 'caPassword') ?? DEFAULT_P12_PASSWORD };
  if (target.protocol === 'ssl' && client === undefined) throw new PackageError('an ssl connection but no client certificate (certificateLocation) in the pref');
  const identity = { callsign: prefs.get('locationCallsign'), team: prefs.get('locationTeam'), role: prefs.get('atakRoleType') };
  for (const [key, value] of Object.entries(identity)) if (value !== undefined && value !== '') pkg.identity[key as keyof typeof identity] = value;
  return pkg;
}
