/**
 * Data packages for phones (tak-server-api.md §3): the connection package a phone imports
 * to join the box (ATAK layout under certs/, iTAK layout at the root) and the profile
 * package enrollment hands out (callsign, team, role), as stored zips (zip.ts).
 */
import { randomUUID } from 'node:crypto';
import { zipStored } from './zip.js';

function escape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function entry(key: string, value: string | number | boolean): string {
  const type = typeof value === 'boolean' ? 'Boolean' : typeof value === 'number' ? 'Integer' : 'String';
  return `    <entry key="${escape(key)}" class="class java.lang.${type}">${escape(String(value))}</entry>\n`;
}

export interface ProfilePrefs {
  callsign: string;
  team?: string;
  role?: string;
}

function appPreferences(profile: ProfilePrefs): string {
  return (
    '  <preference version="1" name="com.atakmap.app_preferences">\n' +
    entry('locationCallsign', profile.callsign) +
    (profile.team === undefined ? '' : entry('locationTeam', profile.team)) +
    (profile.role === undefined ? '' : entry('atakRoleType', profile.role)) +
    '  </preference>\n'
  );
}

export interface StreamPrefs {
  description: string;
  /** `HOST:PORT:ssl`. */
  connectString: string;
  caLocation: string;
  caPassword: string;
  certificateLocation: string;
  clientPassword: string;
}

export function configPref(stream: StreamPrefs | undefined, profile: ProfilePrefs): string {
  const streams =
    stream === undefined
      ? ''
      : '  <preference version="1" name="cot_streams">\n' +
        entry('count', 1) +
        entry('description0', stream.description) +
        entry('enabled0', true) +
        entry('connectString0', stream.connectString) +
        entry('caLocation0', stream.caLocation) +
        entry('caPassword0', stream.caPassword) +
        entry('clientPassword0', stream.clientPassword) +
        entry('certificateLocation0', stream.certificateLocation) +
        '  </preference>\n';
  return `<?xml version="1.0" encoding="ASCII" standalone="yes"?>\n<preferences>\n${streams}${appPreferences(profile)}</preferences>\n`;
}

export function manifest(name: string, entries: readonly string[], uid = randomUUID()): string {
  const contents = entries.map((e) => `    <Content ignore="false" zipEntry="${escape(e)}"/>\n`).join('');
  return (
    '<MissionPackageManifest version="2">\n  <Configuration>\n' +
    `    <Parameter name="uid" value="${escape(uid)}"/>\n    <Parameter name="name" value="${escape(name)}"/>\n    <Parameter name="onReceiveDelete" value="true"/>\n` +
    `  </Configuration>\n  <Contents>\n${contents}  </Contents>\n</MissionPackageManifest>\n`
  );
}

/** What enrollment's profile/enrollment answers: the phone's callsign, team and role. */
export function profilePackage(profile: ProfilePrefs): Buffer {
  const pref = `${profile.callsign.replace(/[^A-Za-z0-9._-]/g, '_')}.pref`;
  return zipStored({ 'MANIFEST/manifest.xml': manifest(`${profile.callsign} profile`, [pref]), [pref]: configPref(undefined, profile) });
}

export interface ConnectionPackageInput {
  layout: 'atak' | 'itak';
  name: string;
  host: string;
  port: number;
  clientP12: Uint8Array;
  caP12: Uint8Array;
  password: string;
  profile: ProfilePrefs;
}

/** A connection package: MANIFEST, config.pref with connectString0, client and trust p12. */
export function connectionPackage(input: ConnectionPackageInput): Buffer {
  const dir = input.layout === 'atak' ? 'certs/' : '';
  // ATAK copies certs/ to its cert/ folder; iTAK reads them next to the pref.
  const location = input.layout === 'atak' ? 'cert/' : '';
  const stream: StreamPrefs = {
    description: input.name,
    connectString: `${input.host.includes(':') ? `[${input.host}]` : input.host}:${input.port}:ssl`,
    caLocation: `${location}caCert.p12`,
    caPassword: input.password,
    certificateLocation: `${location}clientCert.p12`,
    clientPassword: input.password,
  };
  const files = { [`${dir}config.pref`]: configPref(stream, input.profile), [`${dir}caCert.p12`]: input.caP12, [`${dir}clientCert.p12`]: input.clientP12 };
  return zipStored({ 'MANIFEST/manifest.xml': manifest(input.name, Object.keys(files)), ...files });
}
