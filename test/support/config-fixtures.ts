// Helpers for configuration tests: temporary INI files, loading without touching
// /etc/takd or the real environment, and a valid sample value for every schema type.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LoadedConfig } from '../../config/loader.js';
import type { KeySpec } from '../../config/schema.js';
import type { ConfigValue } from '../../config/values.js';
import { zipSync } from 'fflate';

/** A connection package the loader can read (package, PREF_PACKAGE: the url comes from it); made once per process. */
let samplePackage: string | undefined;
function samplePackagePath(): string {
  if (samplePackage === undefined) {
    samplePackage = join(mkdtempSync(join(tmpdir(), 'takd-sample-package-')), 'sample.zip');
    writeFileSync(samplePackage, zipSync({ 'config.pref': Buffer.from('<preferences><entry key="connectString0">127.0.0.1:8087:tcp</entry></preferences>') }));
    process.once('exit', () => rmSync(join(samplePackage as string, '..'), { recursive: true, force: true }));
  }
  return samplePackage;
}

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'takd-config-'));
  file(name: string, text: string, mode = 0o600): string {
    const path = join(this.path, name);
    writeFileSync(path, text, { mode });
    return path;
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Loads with an explicit environment and a default file that does not exist. */
export function load(args: string[] = [], env: NodeJS.ProcessEnv = {}): LoadedConfig {
  return loadConfig({ args, env, defaultFile: '/nonexistent/takd.ini' }).config;
}

/** A valid text for a key, different from its default, and the value it parses to. */
export function sampleFor(key: KeySpec): { text: string; value: ConfigValue } {
  const special: Record<string, { text: string; value: ConfigValue }> = {
    callsign: { text: 'BRAVO-2', value: 'BRAVO-2' },
    uid: { text: 'uid-test-1', value: 'uid-test-1' },
    cot_host_id: { text: 'host-1', value: 'host-1' },
    type: { text: 'a-f-G-E-S', value: 'a-f-G-E-S' },
    bbox: { text: '38.5,-106,40.5,-104', value: '38.5,-106,40.5,-104' },
    radius: { text: '39.7,-105.2,5000', value: '39.7,-105.2,5000' },
    fsync: { text: 'always', value: 'always' },
    cot_type: { text: 'a-n-S-X-M', value: 'a-n-S-X-M' },
    send: { text: 'chat', value: 'chat' },
    tiles: { text: 'https://tiles.example.org/{z}/{x}/{y}.png', value: 'https://tiles.example.org/{z}/{x}/{y}.png' },
  };
  if (key.key === 'package' || key.key === 'pref_package') return { text: samplePackagePath(), value: samplePackagePath() };
  const known = special[key.key];
  if (known !== undefined) return known;
  // [marti] and [enrollment] urls are not transport URLs (the servers listen for HTTPS).
  if (key.key === 'url' && key.type.kind === 'string') return { text: 'https+listen://127.0.0.1:8443', value: 'https+listen://127.0.0.1:8443' };
  const type = key.type;
  switch (type.kind) {
    case 'string':
      return { text: 'sample', value: 'sample' };
    case 'integer':
      return { text: String(type.min + 1), value: type.min + 1 };
    case 'number':
      return { text: String(type.min + 1.5), value: type.min + 1.5 };
    case 'boolean':
      return key.default === true ? { text: 'off', value: false } : { text: 'yes', value: true };
    case 'enum': {
      const last = type.values[type.values.length - 1] as string;
      return { text: last, value: last };
    }
    case 'transport-url':
      return { text: 'tcp://127.0.0.1:8087', value: 'tcp://127.0.0.1:8087' };
    case 'link-url':
      return { text: 'tcp://127.0.0.1:2948', value: 'tcp://127.0.0.1:2948' };
    case 'path':
      return { text: '/tmp/sample.pem', value: '/tmp/sample.pem' };
    case 'hostport':
      return { text: '127.0.0.1:8080', value: '127.0.0.1:8080' };
    case 'list':
      return { text: 'eth0, 10.0.0.2', value: ['eth0', '10.0.0.2'] };
  }
}

/** The keys a named section of this kind must have, as INI lines. */
export function requiredLines(kind: string): Record<string, string> {
  if (kind === 'output' || kind === 'input') return { url: 'udp://127.0.0.1:6969' };
  if (kind === 'source') return { driver: 'nmea-gnss', link: 'tcp://127.0.0.1:2947' };
  return {};
}
