// TAK connection packages made at test time (tak-server-api.md §3): PKCS#12 files with the
// legacy encryption ATAK reads (`openssl pkcs12 -export -legacy`), a config.pref in either
// key spelling, zipped in ATAK's layout (MANIFEST/ + certs/) or iTAK's (the root).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';

export interface PackageOptions {
  layout: 'atak' | 'itak';
  /** suffixed: clientPassword0, caLocation0 … (PyTAK's writer); plain: clientPassword … (ATAK's own). */
  spelling: 'suffixed' | 'plain';
  connectString: string;
  /** PEM files of the client certificate and key, and the CA. */
  clientCert: string;
  clientKey: string;
  caCert: string;
  /** Work directory for the .p12 files. */
  dir: string;
  password?: string;
  /** A location as an Android path, as ATAK writes it. */
  androidPaths?: boolean;
  callsign?: string;
}

export function legacyP12(dir: string, name: string, args: string[], password: string): Buffer {
  const out = join(dir, `${name}.p12`);
  execFileSync('openssl', ['pkcs12', '-export', '-legacy', ...args, '-out', out, '-passout', `pass:${password}`], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  return readFileSync(out);
}

function entry(key: string, value: string): string {
  return `<entry key="${key}" class="class java.lang.String">${value.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</entry>`;
}

export function configPref(options: PackageOptions, clientLocation: string, caLocation: string): string {
  const password = options.password ?? 'atakatak';
  const s = options.spelling === 'suffixed' ? '0' : '';
  const streams = [entry('count', '1'), entry('description0', 'HQ Server'), entry('enabled0', 'true'), entry('connectString0', options.connectString)];
  const app = [entry(`caLocation${s}`, caLocation), entry(`caPassword${s}`, password), entry(`clientPassword${s}`, password), entry(`certificateLocation${s}`, clientLocation)];
  if (options.callsign !== undefined) app.push(entry('locationCallsign', options.callsign));
  return [
    "<?xml version='1.0' standalone='yes'?>",
    '<preferences>',
    '<preference version="1" name="cot_streams">', ...streams, '</preference>',
    '<preference version="1" name="com.atakmap.app_preferences">', entry('displayServerConnectionWidget', 'true'), ...app, '</preference>',
    '</preferences>',
  ].join('\n');
}

export function makeConnectionPackage(options: PackageOptions): Buffer {
  const password = options.password ?? 'atakatak';
  const client = legacyP12(options.dir, `client-${options.layout}`, ['-in', options.clientCert, '-inkey', options.clientKey, '-certfile', options.caCert, '-name', 'client'], password);
  const ca = legacyP12(options.dir, `ca-${options.layout}`, ['-nokeys', '-in', options.caCert, '-name', 'ca'], password);
  const prefix = options.layout === 'atak' ? 'certs/' : '';
  const location = (name: string): string => (options.androidPaths ? `/storage/emulated/0/atak/cert/${name}` : `${options.layout === 'atak' ? 'cert/' : ''}${name}`);
  const pref = configPref(options, location('clientCert.p12'), location('caCert.p12'));
  const manifest = `<MissionPackageManifest version="2"><Configuration><Parameter name="uid" value="0b8d3c6e-test"/><Parameter name="name" value="HQ"/><Parameter name="onReceiveDelete" value="true"/></Configuration><Contents><Content ignore="false" zipEntry="${prefix}config.pref"/><Content ignore="false" zipEntry="${prefix}caCert.p12"/><Content ignore="false" zipEntry="${prefix}clientCert.p12"/></Contents></MissionPackageManifest>`;
  const files: Record<string, Uint8Array> = {
    [`${prefix}config.pref`]: Buffer.from(pref),
    [`${prefix}caCert.p12`]: ca,
    [`${prefix}clientCert.p12`]: client,
  };
  if (options.layout === 'atak') files['MANIFEST/manifest.xml'] = Buffer.from(manifest);
  return Buffer.from(zipSync(files));
}
