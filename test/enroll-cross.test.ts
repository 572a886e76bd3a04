// Issue 18, both sides together: takd's enrollment client against takd's own server. The
// box runs `takd ca init`, `takd user add`, enrollment on 8446 of a loopback address of its
// own (127.x.y.z, as pki-enrollment.test.ts) and a tls+listen hub. (a) `takd enroll` with
// the box's CA stores a chain openssl accepts; a second daemon whose output is the spent
// tak:// link reuses that certificate, joins the hub and its events reach another hub
// client. (b) `takd package client` → `takd import` → an output that joins the same hub.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { opensslUnavailableReason } from './support/certs.js';
import { TakdProcess } from './support/daemon-process.js';
import { addUser, takd } from './support/enrollment.js';
import { freePort } from './support/gpsfake.js';
import { pliXml } from './support/pytak-peer.js';
import { waitUntil } from './support/wait.js';

/** A loopback address of this test's own whose 8446 is free (the enrollment port takd enroll dials by default). */
async function loopbackWith8446(): Promise<string | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const host = `127.${randomInt(1, 254)}.${randomInt(1, 254)}.${randomInt(2, 254)}`;
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(8446, host, () => server.close(() => resolve(true)));
    });
    if (free) return host;
  }
  return undefined;
}

/** A hub client made by the test: TLS with the given PEM files; collects what the hub sends. */
async function hubClient(host: string, port: number, files: { cert: string; key: string; ca: string }): Promise<{ socket: TLSSocket; text: () => string }> {
  const socket = connect({ host, port, cert: readFileSync(files.cert), key: readFileSync(files.key), ca: readFileSync(files.ca), servername: undefined, checkServerIdentity: () => undefined });
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  await once(socket, 'secureConnect');
  return { socket, text: () => text };
}

/** Sends one PLI to a daemon's tcp+listen input. */
async function sendPli(port: number, uid: string): Promise<void> {
  const phone = createConnection({ host: '127.0.0.1', port });
  await once(phone, 'connect');
  phone.end(pliXml(uid, uid, 'Cyan'));
  await once(phone, 'close');
}

describe("takd's enrollment client against takd's own server", { skip: opensslUnavailableReason() }, () => {
  const box = new TakdProcess();
  const clients: TakdProcess[] = [];
  const sockets: TLSSocket[] = [];
  const clientState = mkdtempSync(join(tmpdir(), 'takd-cross-'));
  let host = '';
  let hubPort = 0;
  let pkiDir = '';
  let caFile = '';
  let watcher: { socket: TLSSocket; text: () => string } | undefined;

  before(async () => {
    const found = await loopbackWith8446();
    if (found === undefined) throw new Error('no loopback address with a free port 8446');
    host = found;
    hubPort = await freePort();
    pkiDir = join(box.dir, 'pki');
    caFile = join(pkiDir, 'ca.pem');
    box.writeConfig([
      '[pli]', 'enabled = no',
      '[pki]', `dir = ${pkiDir}`,
      '[enrollment]', `url = https+listen://${host}:8446`,
      '[output.phones]', `url = tls+listen://${host}:${hubPort}`, 'hello = no', `cert = ${pkiDir}/server.pem`, `key = ${pkiDir}/server.key`, `client_ca = ${caFile}`,
      '',
    ].join('\n'));
    const init = takd(['ca', 'init', '-c', box.configFile, '--ip', host, '--name', 'localhost']);
    assert.equal(init.status, 0, init.stderr);
    box.start();
    await box.waitForState('enrollment', 'connected', 20_000);
    await box.waitForState('output.phones', 'connected');
  });

  after(async () => {
    for (const socket of sockets) socket.destroy();
    for (const client of clients) {
      await client.stop();
      await client.cleanup();
    }
    await box.stop();
    await box.cleanup();
    rmSync(clientState, { recursive: true, force: true });
  });

  /** A daemon with one tcp+listen input for the test's PLIs and the given output section. */
  async function clientDaemon(output: string[], env: NodeJS.ProcessEnv = {}): Promise<{ daemon: TakdProcess; inputPort: number }> {
    const daemon = new TakdProcess();
    clients.push(daemon);
    const inputPort = await freePort();
    daemon.writeConfig(['[pli]', 'enabled = no', '[input.phones]', `url = tcp+listen://127.0.0.1:${inputPort}`, ...output, ''].join('\n'));
    daemon.start(['-c', daemon.configFile], env);
    await daemon.waitForState('input.phones', 'connected');
    return { daemon, inputPort };
  }

  it('(b) takd package client → takd import → an output that joins the box hub; its events reach another hub client', async () => {
    const pkgDir = join(box.dir, 'packages');
    mkdirSync(pkgDir);
    const made = takd(['package', 'client', 'bravo', '-c', box.configFile, '--password', 'pkgpass', '--out', pkgDir]);
    assert.equal(made.status, 0, made.stderr);
    const imported = takd(['import', join(pkgDir, 'bravo-atak.zip'), '--name', 'box'], { STATE_DIRECTORY: clientState });
    assert.equal(imported.status, 0, imported.stderr);
    const home = join(clientState, 'import', 'box');
    const files = { cert: join(home, 'client.pem'), key: join(home, 'client.key'), ca: join(home, 'ca.pem') };
    assert.equal(imported.stdout.split('\n').slice(0, 5).join('\n'), ['[output.box]', `url = tls://${host}:${hubPort}`, `cert = ${files.cert}`, `key = ${files.key}`, `ca = ${files.ca}`].join('\n'));
    assert.match(execFileSync('openssl', ['verify', '-CAfile', caFile, files.cert], { encoding: 'utf8' }), /: OK/);

    // The test's own hub client holds the imported certificate: it is the "other phone".
    watcher = await hubClient(host, hubPort, files);
    sockets.push(watcher.socket);
    watcher.socket.write(pliXml('WATCHER-uid', 'WATCHER', 'Red'));

    const section = imported.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    const { daemon, inputPort } = await clientDaemon(section);
    await daemon.waitForState('output.box', 'connected', 30_000);
    await sendPli(inputPort, 'IMPORTED-uid');
    const seen = watcher;
    await waitUntil(() => seen.text().includes('IMPORTED-uid'), "the imported output's PLI reaches another hub client");
  });

  it('(a) takd enroll with the box CA; a tak:// output with the spent token reuses the stored certificate and its PLI is routed', async () => {
    assert.ok(watcher !== undefined, 'the hub client of (b) is connected');
    const { token, link } = addUser(box.configFile, 'truck7', ['--team', 'Cyan']);
    const enrolled = takd(['enroll', link, '--ca', caFile, '--uid', 'takd-cross', '--name', 'hq'], { STATE_DIRECTORY: clientState });
    assert.equal(enrolled.status, 0, enrolled.stderr);
    assert.ok(!enrolled.stdout.includes(token) && !enrolled.stderr.includes(token), 'the token is never printed');
    const home = join(clientState, 'enroll', `${host}-truck7`);
    assert.equal(enrolled.stdout, ['[output.hq]', `url = tls://${host}:8089`, `cert = ${join(home, 'cert.pem')}`, `key = ${join(home, 'key.pem')}`, `ca = ${caFile}`, ''].join('\n'));
    assert.match(execFileSync('openssl', ['verify', '-CAfile', join(home, 'chain.pem'), join(home, 'cert.pem')], { encoding: 'utf8' }), /cert\.pem: OK/);
    assert.match(execFileSync('openssl', ['verify', '-CAfile', caFile, join(home, 'cert.pem')], { encoding: 'utf8' }), /cert\.pem: OK/);
    assert.match(execFileSync('openssl', ['x509', '-in', join(home, 'cert.pem'), '-noout', '-subject'], { encoding: 'utf8' }), /CN ?= ?truck7/);
    const before = readFileSync(join(home, 'cert.pem'), 'utf8');

    // The token is spent: the box refuses it now, so the daemon must use the stored certificate.
    const again = takd(['enroll', link, '--ca', caFile, '--dir', mkdtempSync(join(clientState, 'fresh-'))]);
    assert.equal(again.status, 1);
    assert.match(again.stderr + again.stdout, /401/);
    await waitUntil(() => (box.component('enrollment')?.counters['auth.failed'] ?? 0) >= 1, 'the refused token is counted');
    const failuresBefore = box.component('enrollment')?.counters['auth.failed'] ?? 0;

    const url = `tak://com.atakmap.app/enroll?host=${host}:${hubPort}&username=truck7&token=${token}`;
    const { daemon, inputPort } = await clientDaemon(['[output.hq]', `url = ${url}`, `ca = ${caFile}`], { STATE_DIRECTORY: clientState });
    await daemon.waitForState('output.hq', 'connected', 30_000);
    assert.match(daemon.stdout, new RegExp(`using the stored certificate for truck7@${host.replace(/\./g, '\\.')}`));
    assert.equal(readFileSync(join(home, 'cert.pem'), 'utf8'), before, 'the stored certificate was not replaced');
    assert.equal(box.component('enrollment')?.counters['auth.failed'] ?? 0, failuresBefore, 'the daemon did not try the spent token');
    assert.ok(!daemon.stdout.includes(token) && !daemon.stderr.includes(token), 'the token is never logged');

    await sendPli(inputPort, 'ENROLLED-uid');
    const seen = watcher;
    await waitUntil(() => seen.text().includes('ENROLLED-uid'), "the enrolled output's PLI reaches another hub client");
    process.stdout.write(`# box ${host}: enrolled truck7, reused the certificate, routed; imported bravo, routed\n`);
  });
});
