// `takd run` refuses to start half a daemon: files and devices the configuration names are
// checked first, and a transport's configuration error at start is reported against the key
// that caused it — `FILE:LINE: key: what is wrong`, exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { makeTestPki } from './support/certs.js';
import { TempDir } from './support/config-fixtures.js';
import { TAKD_MAIN } from './support/daemon-process.js';

const dir = new TempDir();
after(() => dir.remove());

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [TAKD_MAIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, RUNTIME_DIRECTORY: dir.path }, timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('takd run: configuration errors at start', () => {
  it('a missing certificate file', () => {
    const file = dir.file('cert.ini', '[output.server]\nurl = tls://127.0.0.1:8089\ncert = /nonexistent/client.pem\n');
    const result = run(['run', '-c', file]);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `${file}:3: cert: cannot read /nonexistent/client.pem (ENOENT)\n`);
  });

  it('a serial device that is not there', () => {
    const file = dir.file('serial.ini', '[source.gps]\ndriver = nmea-gnss\nlink = serial:///dev/ttyTAKDNOPE?baud=9600\n[output.log]\nurl = log://stdout\n');
    const result = run(['run', '-c', file]);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `${file}:3: link: cannot open /dev/ttyTAKDNOPE (ENOENT; \`takd serial list\` shows the devices present)\n`);
  });

  it('a certificate file that is not a certificate, named by its key, nothing left running', () => {
    const garbage = dir.file('garbage.pem', 'this is not a certificate\n');
    const file = dir.file('garbage.ini', `[output.log]\nurl = log://stdout\n[output.server]\nurl = tls://127.0.0.1:8089\ncert = ${garbage}\n`);
    const result = run(['run', '-c', file]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5: (cert|password): .+\\n$`));
  });

  it('an environment value is reported as such', () => {
    const result = spawnSync(process.execPath, [TAKD_MAIN, 'run', '--no-config'], { encoding: 'utf8', env: { PATH: process.env.PATH, COT_URL: 'tcp://h:8087', PYTAK_MULTICAST_TTL: '999' } });
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'environment: PYTAK_MULTICAST_TTL: 999 is out of range (allowed: 1-255)\n');
  });

  it('an unknown argument is a usage error', () => {
    const result = run(['run', '--frobnicate']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown argument '--frobnicate'/);
  });
});

describe('takd config check: secrets readable by others', () => {
  it('warns about a world-readable private key, not about a private one', () => {
    // Real material: the check loads it as `takd run` would.
    const pki = makeTestPki();
    after(() => pki.cleanup());
    const key = readFileSync(pki.clientKey, 'utf8');
    const open = dir.file('open.key', key, 0o644);
    const closed = dir.file('closed.key', key, 0o600);
    const cert = dir.file('client.pem', readFileSync(pki.clientCert, 'utf8'), 0o644);
    const file = dir.file('keys.ini', `[output.a]\nurl = tls://h:8089\ncert = ${cert}\nkey = ${open}\n[output.b]\nurl = tls://h:8089\ncert = ${cert}\nkey = ${closed}\n`);
    const result = run(['config', 'check', '-c', file]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, `warning: [output.a] key: ${open} holds a private key or password and is readable by every user (chmod 640, owner root:takd)\n`);
  });
});
