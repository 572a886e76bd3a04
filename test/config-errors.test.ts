// Bad configurations: each gives the exact `FILE:LINE: key: what is wrong` message, and
// `takd config check` exits with status 2 printing it on stderr.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../config/errors.js';
import { load, TempDir } from './support/config-fixtures.js';

const dir = new TempDir();
after(() => dir.remove());
const takd = fileURLToPath(new URL('../daemon/main.js', import.meta.url));

interface BadCase {
  name: string;
  ini?: string;
  env?: NodeJS.ProcessEnv;
  args?: string[];
  /** Messages with F standing for the file path. */
  expected: string[];
}

const cases: BadCase[] = [
  { name: 'misspelt key', ini: '[takd]\ncalsign = A\n', expected: ['F:2: calsign: unknown key in [takd] (did you mean callsign?)'] },
  { name: 'unknown key, nothing close', ini: '[log]\ncolour = red\n', expected: ['F:2: colour: unknown key in [log] (allowed: level, format, repeat_interval)'] },
  { name: 'misspelt section', ini: '[outptu.mesh]\nurl = udp://239.2.3.1:6969\n', expected: ['F:1: unknown section [outptu.mesh] (did you mean [output.NAME]?)'] },
  { name: 'named section without a name', ini: '[output]\nurl = udp://239.2.3.1:6969\n', expected: ['F:1: [output] needs a name: [output.NAME], e.g. [output.mesh]'] },
  { name: 'bad boolean', ini: '[pli]\nenabled = maybe\n', expected: ["F:2: enabled: 'maybe' is not a boolean (allowed: true/false/yes/no/on/off/1/0)"] },
  { name: 'bad enum', ini: '[log]\nlevel = loud\n', expected: ["F:2: level: 'loud' is not allowed (allowed: trace, debug, info, warn, error, silent)"] },
  { name: 'integer out of range', ini: '[output.mesh]\nurl = udp://239.2.3.1:6969\nttl = 300\n', expected: ['F:3: ttl: 300 is out of range (allowed: 1-255)'] },
  { name: 'not an integer', ini: '[output.mesh]\nurl = udp://239.2.3.1:6969\nmax_queue = lots\n', expected: ["F:3: max_queue: 'lots' is not an integer (allowed: 1-1000000)"] },
  { name: 'bad output URL', ini: '[output.server]\nurl = htp://tak.example.org\n', expected: ["F:2: url: unknown scheme 'htp' in 'htp://tak.example.org' (e.g. tcp://host:8087, tls://host:8089, udp://239.2.3.1:6969, tcp+listen://0.0.0.0:8087, log://stdout, file:///path)"] },
  { name: 'bad link scheme', ini: '[source.gps]\ndriver = nmea-gnss\nlink = usb:///dev/ttyUSB0\n', expected: ["F:3: link: unknown link scheme 'usb' (allowed: serial, tcp, udp, file, sim, mock)"] },
  { name: 'unknown driver', ini: '[source.gps]\ndriver = ublox\nlink = serial:///dev/ttyACM0\n', expected: ["F:2: driver: 'ublox' is not allowed (allowed: nmea-gnss, gpsd, sim, ais, kiss-aprs, meshtastic)"] },
  { name: 'missing url', ini: '[takd]\ncallsign = A\n\n[output.mesh]\nttl = 1\n', expected: ['F:4: url: missing in [output.mesh] (e.g. udp://239.2.3.1:6969, tls://host:8089, tcp+listen://0.0.0.0:8087, log://stdout, file:///path)'] },
  { name: 'missing driver', ini: '[source.gps]\nlink = serial:///dev/ttyACM0\n', expected: ['F:1: driver: missing in [source.gps] (allowed: nmea-gnss, gpsd, sim, ais, kiss-aprs, meshtastic)'] },
  { name: 'repeated key', ini: '[takd]\ncallsign = A\ncallsign = B\n', expected: ['F:3: callsign: repeated in [takd] (first at line 2)'] },
  { name: 'repeated section', ini: '[takd]\n[log]\n[takd]\n', expected: ['F:3: section [takd] repeated (first at line 1)'] },
  { name: 'key outside a section', ini: 'callsign = A\n', expected: ['F:1: callsign: outside any section (put it under [takd], [output.NAME], … or [pytak])'] },
  { name: 'not key = value', ini: '[takd]\ncallsign\n', expected: ["F:2: 'callsign' is not 'key = value'"] },
  { name: 'multi-line value', ini: '[takd]\ncallsign = A\n  more\n', expected: ['F:3: indented line: multi-line values are not supported (write the value on one line, or remove the indentation)'] },
  { name: 'misspelt PyTAK key', ini: '[pytak]\nCOT_ULR = tcp://h:8087\n', expected: ['F:2: COT_ULR: unknown PyTAK key (did you mean COT_URL?)'] },
  { name: 'bad PyTAK value', ini: '[pytak]\nTAK_PROTO = 2\n', expected: ["F:2: TAK_PROTO: '2' is not allowed (allowed: 0, 1)"] },
  { name: 'bad bounding box', ini: '[output.mesh]\nurl = udp://239.2.3.1:6969\nbbox = 40,-105,39,-104\n', expected: ['F:3: bbox: south must not be north of north'] },
  { name: 'bad radius', ini: '[output.mesh]\nurl = udp://239.2.3.1:6969\nradius = 39.7,-105.2\n', expected: ['F:3: radius: expected lat,lon,metres, got "39.7,-105.2"'] },
  { name: 'bad fsync policy', ini: '[output.server]\nurl = tcp://tak.example.org:8087\nfsync = sometimes\n', expected: ['F:3: fsync: expected always, never or an interval in seconds (0 < s <= 3600), got "sometimes"'] },
  { name: 'rate out of range', ini: '[output.mesh]\nurl = udp://239.2.3.1:6969\nrate_bytes = 0\n', expected: ['F:3: rate_bytes: 0 is out of range (allowed: 1-1000000000 bytes/s)'] },
  { name: 'bad APRS callsign', ini: '[source.aprs]\ndriver = kiss-aprs\nlink = tcp://127.0.0.1:8001\ncallsign = KD0ABC-16\n', expected: ["F:4: callsign: 'KD0ABC-16' is not valid (allowed: an amateur callsign of 1-6 letters/digits, optional -SSID 0-15, e.g. KD0ABC-9)"] },
  { name: 'beacon too often', ini: '[source.aprs]\ndriver = kiss-aprs\nlink = tcp://127.0.0.1:8001\nbeacon_interval = 5\n', expected: ['F:4: beacon_interval: 5 is out of range (allowed: 60-86400 s)'] },
  { name: 'bad mesh send list', ini: '[source.mesh]\ndriver = meshtastic\nlink = tcp://127.0.0.1:4403\nsend = pli, files\n', expected: ["F:4: send: 'pli, files' is not valid (allowed: pli, chat, \"pli, chat\" or none)"] },
  { name: 'bad source CoT type', ini: '[source.ais]\ndriver = ais\nlink = tcp://127.0.0.1:5050\ncot_type = ship\n', expected: ["F:4: cot_type: 'ship' is not valid (allowed: a CoT type such as a-f-G-U-C)"] },
  { name: 'bad status address', ini: '[status]\nhttp = localhost\n', expected: ["F:2: http: 'localhost' is not host:port (e.g. 127.0.0.1:8080)"] },
  { name: 'several problems, in line order', ini: '[log]\nlevel = x\n[pli]\nno_fix = y\n', expected: ["F:2: level: 'x' is not allowed (allowed: trace, debug, info, warn, error, silent)", "F:4: no_fix: 'y' is not allowed (allowed: last-known, silent)"] },
  { name: 'bad environment value', env: { TAKD_OUTPUT_MESH_URL: 'udp://239.2.3.1:6969', TAKD_OUTPUT_MESH_TTL: '0' }, expected: ['environment: TAKD_OUTPUT_MESH_TTL: 0 is out of range (allowed: 1-255)'] },
  { name: 'unknown TAKD_ variable', env: { TAKD_LOG_LEVLE: 'info' }, expected: ['environment: TAKD_LOG_LEVLE: unknown variable (did you mean TAKD_LOG_LEVEL?)'] },
  { name: 'bad PyTAK environment boolean', env: { COT_URL: 'tcp://h:8087', PYTAK_TLS_DONT_VERIFY: 'sure' }, expected: ["environment: PYTAK_TLS_DONT_VERIFY: 'sure' is not a boolean (allowed: true/false/yes/no/on/off/1/0)"] },
  { name: 'bad flag', args: ['--set', 'output.mesh.tll=2'], expected: ['command line: --set output.mesh.tll: unknown key in [output.mesh] (did you mean ttl?)'] },
  { name: 'bad flag value', args: ['--team', 'Pink'], expected: ["command line: --team: 'Pink' is not allowed (allowed: White, Yellow, Orange, Magenta, Red, Maroon, Purple, Dark Blue, Blue, Cyan, Teal, Green, Dark Green, Brown)"] },
];

function messages(error: unknown): string[] {
  assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
  return error.problems.map((p) => (p.key === '' ? `${p.where}: ${p.message}` : `${p.where}: ${p.key}: ${p.message}`));
}

describe('bad configurations', () => {
  cases.forEach((c, index) => {
    it(c.name, () => {
      const args = [...(c.args ?? [])];
      let file = '';
      if (c.ini !== undefined) {
        file = dir.file(`bad-${index}.ini`, c.ini);
        args.push('-c', file);
      }
      let thrown: unknown;
      try {
        load(args, c.env ?? {});
      } catch (error) {
        thrown = error;
      }
      assert.deepEqual(messages(thrown), c.expected.map((m) => m.replace(/^F:/, `${file}:`)));
    });
  });

  it('takd config check prints them on stderr and exits 2', () => {
    const file = dir.file('cli-bad.ini', '[takd]\ncalsign = A\n\n[output.mesh]\nurl = udp://239.2.3.1:6969\nttl = 300\n');
    const result = spawnSync(process.execPath, [takd, 'config', 'check', '-c', file], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `${file}:2: calsign: unknown key in [takd] (did you mean callsign?)\n${file}:6: ttl: 300 is out of range (allowed: 1-255)\n`);
  });

  it('a missing file named with -c is an error naming it', () => {
    const result = spawnSync(process.execPath, [takd, 'config', 'check', '-c', '/nonexistent/takd.ini'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    assert.equal(result.status, 2);
    assert.equal(result.stderr, '/nonexistent/takd.ini: cannot read the configuration (ENOENT, named by -c)\n');
  });

  it('--strict turns missing certificate files into errors naming the key', () => {
    const file = dir.file('files.ini', '[output.server]\nurl = tls://tak.example.org:8089\ncert = /nonexistent/client.p12\n');
    const result = spawnSync(process.execPath, [takd, 'config', 'check', '--strict', '-c', file], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `${file}:3: cert: cannot read /nonexistent/client.p12 (ENOENT)\n`);
  });
});

describe('files named by the configuration are read with limits', () => {
  const check = (ini: string, strict = true): ReturnType<typeof spawnSync> & { file: string } => {
    const file = dir.file(`limits-${Math.random().toString(36).slice(2)}.ini`, ini);
    const args = [takd, 'config', 'check', ...(strict ? ['--strict'] : []), '-c', file];
    return { ...spawnSync(process.execPath, args, { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 20_000 }), file };
  };

  it('cert = /dev/zero is refused without reading it, by config check and by run', () => {
    const result = check('[output.server]\nurl = tls://tak.example.org:8089\ncert = /dev/zero\n');
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `${result.file}:3: cert: not a regular file: /dev/zero is a device\n`);
    const run = spawnSync(process.execPath, [takd, 'run', '-c', result.file], { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 20_000 });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /cert: not a regular file: \/dev\/zero is a device/);
  });

  it('a directory, a file that is not PEM, and a TLS listener without cert are errors with --strict, as in run', () => {
    const notPem = dir.file('not-a-cert.pem', 'hello\n');
    const cases: [string, RegExp][] = [
      [`[output.server]\nurl = tls://tak.example.org:8089\ncert = ${dir.path}\n`, /:3: cert: not a regular file: .* is a directory/],
      [`[output.server]\nurl = tls://tak.example.org:8089\ncert = ${notPem}\n`, /:3: cert: /],
      ['[input.phones]\nurl = tls+listen://127.0.0.1:8089\n', /:2: url: a TLS listener needs a server certificate/],
    ];
    for (const [ini, expected] of cases) {
      const result = check(ini);
      assert.equal(result.status, 2, String(result.stderr));
      assert.match(String(result.stderr), expected);
    }
  });

  it('the configuration file itself: a device is refused', () => {
    const result = spawnSync(process.execPath, [takd, 'config', 'check', '-c', '/dev/zero'], { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 20_000 });
    assert.equal(result.status, 2);
    assert.equal(result.stderr, '/dev/zero: not a regular file: /dev/zero is a device\n');
  });

  it('an error quotes at most ~100 characters of the offending text, with control bytes escaped', () => {
    const long = `${'x'.repeat(1_000_000)}`;
    const result = check(`[log]\nlevel = \u001b[2J${long}\n`, false);
    assert.equal(result.status, 2);
    const line = String(result.stderr).trim();
    assert.ok(line.length < 300, `error line of ${line.length} characters`);
    assert.match(line, /level: '\\x1b\[2Jx+…' \(1000004 characters\) is not allowed/);
  });
});
