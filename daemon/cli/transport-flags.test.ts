// `takd send` / `takd listen` read PyTAK's environment through the configuration schema, the
// same keys and parsers as the daemon's outputs; flags win over the environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../config/errors.js';
import { FTS_COMPAT_MAX_PAUSE_MS } from '../transports/output-settings.js';
import { parseTransportFlags } from './transport-flags.js';

const options = (env: NodeJS.ProcessEnv, args: string[] = ['tcp://127.0.0.1:8087']) => parseTransportFlags(args, {}, env).options;

test('a PyTAK gateway environment maps onto transport options', () => {
  const parsed = options({
    TAK_PROTO: '1',
    PYTAK_TLS_CLIENT_CERT: '/etc/takd/client.p12',
    PYTAK_TLS_CLIENT_PASSWORD: 'atakatak',
    PYTAK_TLS_CLIENT_CAFILE: '/etc/takd/ca.pem',
    PYTAK_TLS_DONT_VERIFY: 'yes',
    PYTAK_TLS_DONT_CHECK_HOSTNAME: '0',
    PYTAK_TLS_SERVER_EXPECTED_HOSTNAME: 'tak.example.org',
    PYTAK_TLS_CLIENT_CIPHERS: 'ECDHE-ECDSA-AES256-GCM-SHA384',
    PYTAK_MULTICAST_LOCAL_ADDR: '10.0.0.2',
    PYTAK_MULTICAST_TTL: '4',
    MAX_OUT_QUEUE: '500',
    PYTAK_NO_HELLO: 'true',
  });
  assert.equal(parsed.proto, 1);
  assert.deepEqual(parsed.tls, {
    cert: '/etc/takd/client.p12',
    password: 'atakatak',
    ca: '/etc/takd/ca.pem',
    dontVerify: true,
    expectedHostname: 'tak.example.org',
    ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  });
  assert.deepEqual(parsed.interfaces, ['10.0.0.2']);
  assert.equal(parsed.ttl, 4);
  assert.equal(parsed.maxQueue, 500);
  assert.equal(parsed.pauseBetweenWritesMs, undefined);
});

test('PYTAK_MULTICAST_LOCAL_ADDRS lists several interfaces; PYTAK_SLEEP and FTS_COMPAT pause between writes', () => {
  assert.deepEqual(options({ PYTAK_MULTICAST_LOCAL_ADDRS: 'eth0, wlan0,10.1.1.1' }).interfaces, ['eth0', 'wlan0', '10.1.1.1']);
  assert.equal(options({ PYTAK_SLEEP: '3' }).pauseBetweenWritesMs?.(), 3_000);
  assert.equal(options({ PYTAK_SLEEP: '3', FTS_COMPAT: 'on' }).pauseBetweenWritesMs?.(), 3_000, 'PYTAK_SLEEP wins');
  const fts = options({ FTS_COMPAT: 'on' }).pauseBetweenWritesMs;
  assert.ok(fts);
  for (let i = 0; i < 100; i += 1) {
    const ms = fts();
    assert.ok(ms >= 0 && ms < FTS_COMPAT_MAX_PAUSE_MS);
  }
  assert.equal(options({ FTS_COMPAT: 'off' }).pauseBetweenWritesMs, undefined);
  assert.equal(options({}).tls, undefined);
});

test('bad values name the environment key, as `takd run` does', () => {
  const cases: [Record<string, string>, string][] = [
    [{ TAK_PROTO: '2' }, 'TAK_PROTO'],
    [{ PYTAK_TLS_DONT_VERIFY: 'maybe' }, 'PYTAK_TLS_DONT_VERIFY'],
    [{ PYTAK_MULTICAST_TTL: '0' }, 'PYTAK_MULTICAST_TTL'],
    [{ MAX_OUT_QUEUE: '-5' }, 'MAX_OUT_QUEUE'],
    [{ PYTAK_SLEEP: 'soon' }, 'PYTAK_SLEEP'],
    [{ FTS_COMPAT: '2' }, 'FTS_COMPAT'],
  ];
  for (const [env, key] of cases) {
    assert.throws(() => options(env), (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.where === 'environment' && p.key === key), key);
  }
  assert.throws(() => options({ FTS_COMPAT: 'y' }), /FTS_COMPAT: 'y' is not a boolean \(allowed: true\/false\/yes\/no\/on\/off\/1\/0\)/);
});

test('flags win over the environment; COT_URL is the URL when none is given; keys that set no output are not read', () => {
  const parsed = parseTransportFlags(['--proto', '0', '--ttl', '3', '--interface', 'eth1', '--password-file', '/run/pass'], {}, {
    COT_URL: 'udp://239.2.3.1:6969',
    TAK_PROTO: '1',
    PYTAK_MULTICAST_TTL: '2',
    PYTAK_MULTICAST_LOCAL_ADDRS: 'eth0',
    PYTAK_TLS_CLIENT_PASSWORD: 'atakatak',
    TAKD_OUTPUT_CLI_TTL: '9',
    COT_STALE: 'whenever',
    DEBUG: 'maybe',
  });
  assert.equal(parsed.url, 'udp://239.2.3.1:6969');
  assert.equal(parsed.spec.kind, 'udp');
  assert.equal(parsed.options.proto, 0);
  assert.equal(parsed.options.ttl, 3);
  assert.deepEqual(parsed.options.interfaces, ['eth1']);
  assert.deepEqual(parsed.options.tls, { passwordFile: '/run/pass' });
});
