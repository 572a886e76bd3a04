// [marti] in the configuration: parsed into the server's settings with their defaults, bad
// values refused naming the key, absent without a url; and the server costs nothing when it
// is not configured (the daemon does not even load node:http for it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/loader.js';
import { viewConfig } from '../config/view.js';
import { ConfigError } from '../config/errors.js';
import { defaultPackageDir } from '../daemon/marti/settings.js';
import { makeTestPki, opensslUnavailableReason } from './support/certs.js';
import { repoRoot } from './support/paths.js';

function view(...sets: string[]): ReturnType<typeof viewConfig> {
  const args = ['--no-config', ...sets.flatMap((s) => ['--set', s])];
  return viewConfig(loadConfig({ args, env: {} }).config);
}

test('[marti] url, TLS keys, advertise and the limits, with their defaults', () => {
  assert.equal(view().marti, undefined);
  const marti = view('marti.url=https+listen://0.0.0.0:8443', 'marti.cert=/etc/takd/server.pem', 'marti.client_ca=/etc/takd/ca.pem', 'marti.advertise=192.168.1.10').marti;
  assert.ok(marti);
  assert.deepEqual(marti.listen, { scheme: 'https', host: '0.0.0.0', port: 8443 });
  assert.deepEqual(marti.tls, { cert: '/etc/takd/server.pem', clientCa: '/etc/takd/ca.pem' });
  assert.equal(marti.requireClientCert, true);
  assert.equal(marti.advertise, '192.168.1.10');
  assert.equal(marti.maxFileSize, 100 * 1024 * 1024);
  assert.equal(marti.quota, 1024 * 1024 * 1024);
  assert.equal(marti.dir, undefined);
  assert.equal(marti.uploadTimeoutMs, 600_000);
  const plain = view('marti.url=http+listen://[::]', 'marti.require_client_cert=off', 'marti.max_file_size=1000', 'marti.dir=/srv/packages').marti;
  assert.deepEqual(plain?.listen, { scheme: 'http', host: '::', port: 8080 });
  assert.equal(plain?.requireClientCert, false);
  assert.equal(plain?.maxFileSize, 1000);
  assert.equal(plain?.dir, '/srv/packages');
  assert.equal(defaultPackageDir({ STATE_DIRECTORY: '/var/lib/takd:/other' }), '/var/lib/takd/packages');
  assert.equal(defaultPackageDir({}), '/var/lib/takd/packages');
  assert.equal(defaultPackageDir({ STATE_DIRECTORY: '/tmp/state' }), '/tmp/state/packages');
});

test('[marti] bad values are errors naming the key', () => {
  const refused = (set: string, pattern: RegExp): void => {
    assert.throws(() => view(set), (e: unknown) => e instanceof ConfigError && pattern.test(e.message), set);
  };
  refused('marti.url=tcp+listen://0.0.0.0:8087', /url: .*https\+listen/);
  refused('marti.url=https+listen://0.0.0.0:99999', /url: port 99999/);
  refused('marti.advertise=0.0.0.0', /advertise: a wildcard address/);
  refused('marti.advertise=::', /advertise: a wildcard address/);
  refused('marti.advertise=a b', /advertise: /);
  refused('marti.max_file_size=0', /max_file_size: /);
});

test('without [marti] the daemon loads no HTTP server code; MartiComponent.start loads it', () => {
  const script = `
    await import('./build/daemon/lifecycle/daemon.js');
    const loaded = () => process.moduleLoadList.filter((m) => m === 'NativeModule _http_server' || m === 'NativeModule https');
    const before = loaded();
    const { MartiComponent } = await import('./build/daemon/marti/index.js');
    const { silentLogger } = await import('./build/daemon/log.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/takd-marti-lazy-');
    const component = new MartiComponent('marti', { settings: { listen: { scheme: 'http', host: '127.0.0.1', port: 0 }, tls: {}, requireClientCert: true, maxFileSize: 1000, quota: 10000, maxUploads: 1, maxClientsPerAddress: 1, uploadTimeoutMs: 1000, dir }, logger: silentLogger, version: 't', nodeId: 'n' });
    await component.start();
    const after = loaded();
    await component.stop();
    rmSync(dir, { recursive: true, force: true });
    console.log(JSON.stringify({ before, after }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const { before, after } = JSON.parse(run.stdout) as { before: string[]; after: string[] };
  assert.deepEqual(before, []);
  assert.ok(after.includes('NativeModule _http_server'), after.join(', '));
});

test('takd config check --strict: https without client_ca is a problem (on the url line, naming client_ca)', { skip: opensslUnavailableReason() }, (t) => {
  const pki = makeTestPki();
  const dir = mkdtempSync(join(tmpdir(), 'takd-marti-check-'));
  t.after(() => {
    pki.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const file = join(dir, 'takd.ini');
  const check = (): ReturnType<typeof spawnSync> => spawnSync(process.execPath, [join(repoRoot, 'build/daemon/main.js'), 'config', 'check', '--strict', '-c', file], { encoding: 'utf8' });
  writeFileSync(file, `[marti]\nurl = https+listen://127.0.0.1:8443\ncert = ${pki.serverCert}\nkey = ${pki.serverKey}\n`);
  const refused = check();
  assert.equal(refused.status, 2, String(refused.stdout));
  assert.match(String(refused.stderr), /takd\.ini:2: url: https\+listen requires client certificates from a CA: set client_ca/);
  writeFileSync(file, `[marti]\nurl = https+listen://127.0.0.1:8443\ncert = ${pki.serverCert}\nkey = ${pki.serverKey}\nclient_ca = ${pki.caCert}\n`);
  const ok = check();
  assert.equal(ok.status, 0, String(ok.stderr));
});
