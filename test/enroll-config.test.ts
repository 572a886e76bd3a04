// tak:// links and PyTAK's enrollment keys in the configuration: parsed into a tls://
// output with enrollment settings, refused where they make no sense, the token never shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/loader.js';
import { viewConfig } from '../config/view.js';
import { showConfig } from '../config/show.js';
import { ConfigError } from '../config/errors.js';

function load(ini: string, env: NodeJS.ProcessEnv = {}): ReturnType<typeof loadConfig>['config'] {
  const dir = mkdtempSync(join(tmpdir(), 'takd-enroll-config-'));
  try {
    writeFileSync(join(dir, 'takd.ini'), ini);
    return loadConfig({ args: ['-c', join(dir, 'takd.ini')], env }).config;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const LINK = 'tak://com.atakmap.app/enroll?host=tak.example.org&username=truck7&token=s3cr3t-token';

test('a tak:// output is a tls:// output to HOST:8089 with enrollment at HOST:8446', () => {
  const [output] = viewConfig(load(`[output.hq]\nurl = ${LINK}\n`)).outputs;
  assert.deepEqual(output?.spec, { kind: 'tls', host: 'tak.example.org', port: 8089, direction: 'both' });
  assert.deepEqual(output?.enroll, { host: 'tak.example.org', port: 8446, username: 'truck7', password: 's3cr3t-token' });
  assert.equal(output?.routing.store !== undefined, true, 'a server output: the durable queue is on');
});

test('host=HOST:PORT is the streaming port; enroll_port the enrollment port; [v6] addresses work', () => {
  const [output] = viewConfig(load(`[output.hq]\nurl = tak://com.atakmap.app/enroll?host=[fd00::5]:18089&username=u&token=t\nenroll_port = 18446\nenroll_passphrase = p\n`)).outputs;
  assert.deepEqual(output?.spec, { kind: 'tls', host: 'fd00::5', port: 18089, direction: 'both' });
  assert.deepEqual(output?.enroll, { host: 'fd00::5', port: 18446, username: 'u', password: 't', passphrase: 'p' });
});

test('a tls:// output with PyTAK enrollment keys enrolls; without the password it does not', () => {
  const env = { COT_URL: 'tls://tak.example.org:8089', PYTAK_TLS_CERT_ENROLLMENT_USERNAME: 'truck7', PYTAK_TLS_CERT_ENROLLMENT_PASSWORD: 'pw' };
  const [output] = viewConfig(load('', env)).outputs;
  assert.deepEqual(output?.enroll, { host: 'tak.example.org', port: 8446, username: 'truck7', password: 'pw' });
  const [plain] = viewConfig(load('', { COT_URL: 'tls://tak.example.org:8089', PYTAK_TLS_CERT_ENROLLMENT_USERNAME: 'truck7' })).outputs;
  assert.equal(plain?.enroll, undefined);
});

test('TAK_URL wins over COT_URL, as in PyTAK', () => {
  const [output] = viewConfig(load('', { COT_URL: 'tcp://127.0.0.1:8087', TAK_URL: LINK })).outputs;
  assert.equal(output?.id, 'output.cot_url');
  assert.equal(output?.enroll?.username, 'truck7');
});

test('config show never prints the token', () => {
  const text = showConfig(load(`[output.hq]\nurl = ${LINK}\n`, { PYTAK_TLS_CERT_ENROLLMENT_PASSWORD: 'other-secret' }));
  assert.ok(!text.includes('s3cr3t-token') && !text.includes('other-secret'), text);
  assert.match(text, /url = tak:\/\/com\.atakmap\.app\/enroll\?host=tak\.example\.org&username=truck7&token=<redacted>/);
});

test('bad links and tak:// on an input are refused with the reason, never quoting the token', () => {
  const cases: [string, RegExp][] = [
    ['[output.a]\nurl = tak://com.atakmap.app/enroll?host=x&username=u\n', /needs exactly one token=/],
    ['[output.a]\nurl = tak://com.atakmap.app/enroll?host=x&username=u&token=t&extra=1\n', /unknown parameter 'extra'/],
    ['[output.a]\nurl = tak://com.atakmap.app/enroll?host=bad host&username=u&token=t\n', /bad host/],
    ['[output.a]\nurl = tak://com.atakmap.app/enroll?host=x:99999&username=u&token=t\n', /bad port/],
    ['[output.a]\nurl = tak://com.atakmap.app/other?host=x&username=u&token=t\n', /is not \/enroll/],
    ['[input.a]\nurl = tak://com.atakmap.app/enroll?host=x&username=u&token=secret\n', /a tak:\/\/ enrollment link is for an output/],
  ];
  for (const [ini, reason] of cases) {
    assert.throws(() => load(ini), (error: Error) => error instanceof ConfigError && reason.test(error.message) && !/token=t\b|secret/.test(error.message), ini);
  }
});
