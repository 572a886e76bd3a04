// `takd import`: connection packages made here (openssl pkcs12 -legacy, ATAK and iTAK
// layouts, both key spellings) → the right output and files; hostile zips are refused with
// a reason and write nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { makeTestPki, opensslUnavailableReason } from './support/certs.js';
import { configPref, makeConnectionPackage } from './support/tak-packages.js';
import { readZip, ZipRefused } from '../daemon/enroll/zip-reader.js';
import { readConnectionPackage } from '../daemon/enroll/connection-package.js';

const takd = fileURLToPath(new URL('../daemon/main.js', import.meta.url));
const skip = opensslUnavailableReason();

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [takd, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function verifyChain(ca: string, cert: string): boolean {
  return spawnSync('openssl', ['verify', '-CAfile', ca, cert], { encoding: 'utf8' }).stdout.includes(': OK');
}

for (const [layout, spelling] of [['atak', 'suffixed'], ['atak', 'plain'], ['itak', 'suffixed'], ['itak', 'plain']] as const) {
  test(`takd import reads an ${layout.toUpperCase()}-layout package with ${spelling} keys`, { skip }, async () => {
    const pki = makeTestPki();
    const state = mkdtempSync(join(tmpdir(), 'takd-import-'));
    try {
      const zip = makeConnectionPackage({ layout, spelling, connectString: 'tak.example.org:8089:ssl', clientCert: pki.clientCert, clientKey: pki.clientKey, caCert: pki.caCert, dir: pki.dir, password: 'S3cret&pass', androidPaths: spelling === 'plain', callsign: 'HQ-1' });
      const file = join(pki.dir, `${layout}.zip`);
      writeFileSync(file, zip);
      const result = await run(['import', file, '--name', 'hq'], { STATE_DIRECTORY: state });
      assert.equal(result.status, 0, result.stderr);
      const home = join(state, 'import', 'hq');
      assert.equal(result.stdout, [
        '[output.hq]', 'url = tls://tak.example.org:8089', `cert = ${join(home, 'client.pem')}`, `key = ${join(home, 'client.key')}`, `ca = ${join(home, 'ca.pem')}`,
        '', '# the package also sets, for [takd]: callsign = HQ-1', '',
      ].join('\n'));
      for (const name of ['client.pem', 'client.key', 'ca.pem']) assert.equal(statSync(join(home, name)).mode & 0o777, 0o600, name);
      assert.ok(verifyChain(join(home, 'ca.pem'), join(home, 'client.pem')), 'openssl verify accepts the client certificate against the truststore');
      // The key is the client certificate's.
      const modulus = (args: string[]): string => spawnSync('openssl', args, { encoding: 'utf8' }).stdout;
      assert.equal(modulus(['pkey', '-in', join(home, 'client.key'), '-pubout']), modulus(['x509', '-in', pki.clientCert, '-noout', '-pubkey']));
      // Nothing decrypted was left beside the files.
      assert.deepEqual(readdirSync(home).sort(), ['ca.pem', 'client.key', 'client.pem']);
    } finally {
      pki.cleanup();
      rmSync(state, { recursive: true, force: true });
    }
  });
}

test('takd import: a wrong password in the pref is refused with the reason, nothing written', { skip }, async () => {
  const pki = makeTestPki();
  const state = mkdtempSync(join(tmpdir(), 'takd-import-'));
  try {
    const good = makeConnectionPackage({ layout: 'itak', spelling: 'suffixed', connectString: '10.0.0.1:8089:ssl', clientCert: pki.clientCert, clientKey: pki.clientKey, caCert: pki.caCert, dir: pki.dir });
    const entries = Object.fromEntries(readZip(good).map((e) => [e.name, e.read()]));
    entries['config.pref'] = Buffer.from(configPref({ layout: 'itak', spelling: 'suffixed', connectString: '10.0.0.1:8089:ssl', password: 'wrong' } as never, 'clientCert.p12', 'caCert.p12'));
    const file = join(pki.dir, 'bad.zip');
    writeFileSync(file, zipSync(entries));
    const result = await run(['import', file], { STATE_DIRECTORY: state });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /client certificate clientCert\.p12: cannot open it with the password given/);
    assert.deepEqual(readdirSync(state), []);
  } finally {
    pki.cleanup();
    rmSync(state, { recursive: true, force: true });
  }
});

test('a tcp connect string becomes a tcp:// output without certificates', () => {
  const zip = Buffer.from(zipSync({ 'prefs/server.pref': Buffer.from(configPref({ spelling: 'plain', connectString: '[fd00::1]:8087:tcp' } as never, 'x', 'y').replace(/<entry key="(caLocation|certificateLocation)"[^\n]*/g, '')) }));
  const pkg = readConnectionPackage(zip);
  assert.equal(pkg.url, 'tcp://[fd00::1]:8087');
  assert.equal(pkg.client, undefined);
});

/** A zip by hand: one member, with the sizes and name we choose (fflate would not lie). */
function handZip(name: string, data: Buffer, options: { declaredSize?: number; method?: 0 | 8; crc?: number } = {}): Buffer {
  const method = options.method ?? 8;
  const body = method === 8 ? deflateRawSync(data) : data;
  const size = options.declaredSize ?? data.length;
  const crc = options.crc ?? (0 >>> 0);
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(method, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const localPart = Buffer.concat([local, nameBytes, body]);
  const centralPart = Buffer.concat([central, nameBytes]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralPart.length, 12);
  end.writeUInt32LE(localPart.length, 16);
  return Buffer.concat([localPart, centralPart, end]);
}

const hostile: [string, () => Buffer, RegExp][] = [
  ['path traversal', () => Buffer.from(zipSync({ '../../etc/cron.d/x.pref': Buffer.from('x') })), /climbs out of the package/],
  ['an absolute name', () => handZip('/etc/passwd', Buffer.from('x')), /absolute path/],
  ['a backslash name', () => handZip('..\\..\\x.pref', Buffer.from('x')), /NUL or backslash/],
  ['a bomb that declares its size', () => Buffer.from(zipSync({ 'config.pref': new Uint8Array(900_000) })), /inflate \d+-fold/],
  ['a bomb that lies about its size', () => handZip('config.pref', Buffer.alloc(800_000), { declaredSize: 3000 }), /does not inflate \(larger than it says\)/],
  ['a member too large', () => handZip('config.pref', Buffer.alloc(2 * 1024 * 1024), { method: 0 }), /more than the 1048576 allowed/],
  ['too many members', () => Buffer.from(zipSync(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}.txt`, Buffer.from('x')])))), /100 members, more than the 64 allowed/],
  ['a bad CRC', () => handZip('config.pref', Buffer.from('<preferences/>'), { crc: 12345 }), /fails its CRC check/],
  ['garbage', () => Buffer.from('this is not a zip file at all, just some text that goes on'), /not a zip file/],
  ['an empty file', () => Buffer.alloc(0), /too short/],
  ['a zip without a pref', () => Buffer.from(zipSync({ 'readme.txt': Buffer.from('hello') })), /no \*\.pref file/],
  ['a pref without a connect string', () => Buffer.from(zipSync({ 'x.pref': Buffer.from('<preferences><entry key="a">b</entry></preferences>') })), /no connectString0/],
  ['a bad connect string', () => Buffer.from(zipSync({ 'x.pref': Buffer.from('<entry key="connectString0">host:99999:ssl</entry>') })), /bad port/],
  ['ssl without a client certificate', () => Buffer.from(zipSync({ 'x.pref': Buffer.from('<entry key="connectString0">host:8089:ssl</entry>') })), /no client certificate/],
];

for (const [name, make, reason] of hostile) {
  test(`a hostile package is refused: ${name}`, async () => {
    const zip = make();
    assert.throws(() => readConnectionPackage(zip), (error: Error) => reason.test(error.message));
    const dir = mkdtempSync(join(tmpdir(), 'takd-hostile-'));
    try {
      writeFileSync(join(dir, 'in.zip'), zip);
      const state = join(dir, 'state');
      const result = await run(['import', join(dir, 'in.zip')], { STATE_DIRECTORY: state });
      assert.equal(result.status, 1);
      assert.match(result.stderr, reason);
      assert.equal(existsSync(state), false, 'nothing written');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('readZip refuses a truncated directory without reading out of bounds', () => {
  const zip = Buffer.from(zipSync({ 'a.pref': Buffer.from('<entry key="connectString0">h:1:tcp</entry>') }));
  for (let cut = 1; cut < zip.length - 22; cut += 7) {
    const damaged = Buffer.concat([zip.subarray(0, zip.length - 22 - cut), zip.subarray(zip.length - 22)]);
    assert.throws(() => readZip(damaged).forEach((e) => e.read()), ZipRefused);
  }
});

test("PyTAK's PREF_PACKAGE: the package's server becomes output.cot_url and its certificate connects; no key lands outside $STATE_DIRECTORY", { skip }, async () => {
  const pki = makeTestPki();
  const { createServer } = await import('node:tls');
  const { readFileSync } = await import('node:fs');
  const { TakdProcess } = await import('./support/daemon-process.js');
  const clients: string[] = [];
  const server = createServer({ cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey), ca: readFileSync(pki.caCert), requestCert: true, rejectUnauthorized: true }, (socket) => {
    clients.push(String(socket.getPeerCertificate().subject?.CN ?? ''));
    socket.on('error', () => undefined);
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const takd = new TakdProcess();
  try {
    const zip = makeConnectionPackage({ layout: 'atak', spelling: 'suffixed', connectString: `127.0.0.1:${port}:ssl`, clientCert: pki.clientCert, clientKey: pki.clientKey, caCert: pki.caCert, dir: pki.dir, password: 'pkg-pass' });
    const file = join(pki.dir, 'pref.zip');
    writeFileSync(file, zip);
    takd.writeConfig('[log]\nlevel = info\n');
    takd.start(['-c', takd.configFile], { PREF_PACKAGE: file });
    await takd.waitForState('output.cot_url', 'connected', 30_000);
    assert.deepEqual(clients, ['takd-test-client']);
    const home = join(takd.dir, 'import', 'output.cot_url');
    for (const name of ['client.pem', 'client.key', 'ca.pem']) assert.equal(statSync(join(home, name)).mode & 0o777, 0o600, name);
    assert.equal(await takd.stop(), 0);

    // A hostile package is a configuration error that names the key and the reason.
    writeFileSync(file, Buffer.from(zipSync({ '../evil.pref': Buffer.from('x') })));
    const check = await run(['config', 'check', '-c', takd.configFile], { PREF_PACKAGE: file });
    assert.equal(check.status, 2);
    assert.match(check.stderr, /environment: PREF_PACKAGE: .*pref\.zip: the member name '\.\.\/evil\.pref' climbs out of the package/);
  } finally {
    await takd.cleanup();
    await new Promise((resolve) => server.close(resolve));
    pki.cleanup();
  }
});
