// `takd ca`, `takd user` and `takd package` as commands: -c FILE picks [pki] dir, nothing is
// overwritten without --force, the server certificate's names change with `ca server`,
// mistakes exit 1 or 2 with a sentence that says what to do.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { opensslUnavailableReason } from './support/certs.js';
import { takd } from './support/enrollment.js';
import { freePort } from './support/gpsfake.js';

const dir = mkdtempSync(join(tmpdir(), 'takd-pki-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const config = join(dir, 'takd.ini');
const pki = join(dir, 'pki');
writeFileSync(config, `[pki]\ndir = ${pki}\nclient_days = 30\n[enrollment]\nurl = https+listen://127.0.0.1:${await freePort()}\n[pli]\nenabled = no\n`);

test('before ca init: user and package commands, and the enrollment server, say to run it', () => {
  const user = takd(['user', 'add', 'alice', '-c', config]);
  assert.equal(user.status, 1);
  assert.match(user.stderr, /takd ca init/);
  const pkg = takd(['package', 'client', 'alice', '-c', config]);
  assert.equal(pkg.status, 1);
  assert.match(pkg.stderr, /takd ca init/);
  const run = takd(['run', '-c', config], { RUNTIME_DIRECTORY: dir, STATE_DIRECTORY: dir });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /url: enrollment needs the box's CA .*run 'takd ca init -c /);
  const check = takd(['config', 'check', '-c', config]);
  // config check reports the files of the target box as warnings (--strict: problems).
  assert.equal(check.status, 0);
  assert.match(check.stderr, /warning: .*run 'takd ca init/);
});

test('ca init, server, show; keys 0600; no silent overwrite', { skip: opensslUnavailableReason() }, () => {
  const init = takd(['ca', 'init', '-c', config, '--name', 'box.example', '--ip', '10.1.2.3', '--org', 'Unit 7', '--unit', 'Ops']);
  assert.equal(init.status, 0, init.stderr);
  for (const key of ['ca.key', 'server.key']) assert.equal(statSync(join(pki, key)).mode & 0o777, 0o600);
  const subject = execFileSync('openssl', ['x509', '-in', join(pki, 'ca.pem'), '-noout', '-subject'], { encoding: 'utf8' });
  assert.match(subject, /O ?= ?Unit 7, OU ?= ?Ops/);
  const sans = (): string => execFileSync('openssl', ['x509', '-in', join(pki, 'server.pem'), '-noout', '-ext', 'subjectAltName'], { encoding: 'utf8' });
  assert.match(sans(), /DNS:box\.example, IP Address:10\.1\.2\.3/);
  assert.match(execFileSync('openssl', ['verify', '-CAfile', join(pki, 'ca.pem'), join(pki, 'server.pem')], { encoding: 'utf8' }), /OK/);
  const caBefore = readFileSync(join(pki, 'ca.pem'), 'utf8');
  const again = takd(['ca', 'init', '-c', config]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /exists already.*--force/);
  assert.equal(readFileSync(join(pki, 'ca.pem'), 'utf8'), caBefore);
  const server = takd(['ca', 'server', '-c', config, '--name', 'tak.local', '--ip', '192.168.7.1']);
  assert.equal(server.status, 0, server.stderr);
  assert.match(sans(), /DNS:tak\.local, IP Address:192\.168\.7\.1/);
  assert.equal(readFileSync(join(pki, 'ca.pem'), 'utf8'), caBefore, 'the CA stays');
  const show = takd(['ca', 'show', '-c', config]);
  assert.match(show.stdout, /server: tak\.local, 192\.168\.7\.1/);
  const noHosts = takd(['ca', 'server', '-c', config]);
  assert.equal(noHosts.status, 2);
});

test('user add/list/revoke: link and QR files, bad names refused, unknown users named', { skip: opensslUnavailableReason() }, () => {
  const added = takd(['user', 'add', 'alice', '-c', config, '--team', 'Cyan', '--role', 'HQ', '--host', 'tak.local']);
  assert.equal(added.status, 0, added.stderr);
  assert.match(added.stdout, /▄|█/, 'a QR code on the terminal');
  assert.match(added.stdout, /^tak:\/\/com\.atakmap\.app\/enroll\?host=tak\.local&username=alice&token=[A-Za-z0-9_-]{20,}$/m);
  assert.equal(readFileSync(join(pki, 'enroll/alice.png')).subarray(1, 4).toString(), 'PNG');
  assert.match(readFileSync(join(pki, 'enroll/alice.svg'), 'utf8'), /^<svg/);
  assert.equal(statSync(join(pki, 'users.json')).mode & 0o777, 0o600);
  const bad = takd(['user', 'add', '../../etc', '-c', config]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /not a user name/);
  const unknown = takd(['user', 'revoke', 'nobody', '-c', config]);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /no user 'nobody'/);
  const list = takd(['user', 'list', '-c', config]);
  assert.match(list.stdout, /alice\s+Cyan\s+HQ\s+token until/);
  const revoke = takd(['user', 'revoke', 'alice', '-c', config]);
  assert.equal(revoke.status, 0);
  assert.equal((JSON.parse(readFileSync(join(pki, 'revoked.json'), 'utf8')) as { revoked: unknown[] }).revoked.length, 0, 'no certificate was issued yet');
  assert.match(takd(['user', 'list', '-c', config]).stdout, /alice.*revoked/);
  const usage = takd(['user', 'frobnicate', 'x', '-c', config]);
  assert.equal(usage.status, 2);
});

test('package client: both layouts, 0600, the certificate recorded under the user', { skip: opensslUnavailableReason() }, () => {
  const made = takd(['package', 'client', 'bob', '-c', config, '--out', dir, '--host', '10.1.2.3', '--port', '8089']);
  assert.equal(made.status, 0, made.stderr);
  assert.match(made.stderr, /atakatak/, 'the default password is named');
  for (const layout of ['atak', 'itak']) assert.equal(statSync(join(dir, `bob-${layout}.zip`)).mode & 0o777, 0o600);
  assert.match(takd(['user', 'list', '-c', config]).stdout, /bob\s+enrolled\s+1/);
  const revoked = takd(['user', 'revoke', 'bob', '-c', config]);
  assert.equal(revoked.status, 0);
  assert.equal((JSON.parse(readFileSync(join(pki, 'revoked.json'), 'utf8')) as { revoked: unknown[] }).revoked.length, 1);
  const refused = takd(['package', 'client', 'bob', '-c', config, '--out', dir]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /revoked/);
});

test('takd run does not load node-forge, qrcode or fflate unless something uses them', () => {
  const script = `
    import { createRequire } from 'node:module';
    const cache = createRequire(import.meta.url).cache;
    const loaded = () => Object.keys(cache).filter((k) => /node_modules\\/(node-forge|qrcode|fflate)\\//.test(k)).map((k) => k.split('node_modules/')[1].split('/')[0]);
    await import(${JSON.stringify(new URL('../daemon/lifecycle/daemon.js', import.meta.url).href)});
    await import(${JSON.stringify(new URL('../config/preflight.js', import.meta.url).href)});
    await import(${JSON.stringify(new URL('../daemon/cli/run.js', import.meta.url).href)});
    const before = [...new Set(loaded())];
    const { loadForge } = await import(${JSON.stringify(new URL('../daemon/pki/index.js', import.meta.url).href)});
    await loadForge();
    console.log(JSON.stringify({ before, after: [...new Set(loaded())] }));
  `;
  const result = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const { before, after: afterLoad } = JSON.parse(result) as { before: string[]; after: string[] };
  assert.deepEqual(before, []);
  assert.deepEqual(afterLoad, ['node-forge'], 'the check sees forge once it is loaded');
});
