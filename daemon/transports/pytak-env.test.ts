import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TransportConfigError } from './errors.js';
import { optionsFromPytakEnv, parseBoolean } from './pytak-env.js';

test('a PyTAK gateway environment maps onto transport options', () => {
  const options = optionsFromPytakEnv({
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
  assert.equal(options.proto, 1);
  assert.deepEqual(options.tls, {
    cert: '/etc/takd/client.p12',
    password: 'atakatak',
    ca: '/etc/takd/ca.pem',
    dontVerify: true,
    dontCheckHostname: false,
    expectedHostname: 'tak.example.org',
    ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  });
  assert.deepEqual(options.interfaces, ['10.0.0.2']);
  assert.equal(options.ttl, 4);
  assert.equal(options.maxQueue, 500);
  assert.equal(options.noHello, true);
  assert.equal(options.pauseBetweenWritesMs, undefined);
});

test('PYTAK_MULTICAST_LOCAL_ADDRS lists several interfaces; PYTAK_SLEEP and FTS_COMPAT pause between writes', () => {
  assert.deepEqual(optionsFromPytakEnv({ PYTAK_MULTICAST_LOCAL_ADDRS: 'eth0, wlan0,10.1.1.1' }).interfaces, ['eth0', 'wlan0', '10.1.1.1']);
  assert.equal(optionsFromPytakEnv({ PYTAK_SLEEP: '3' }).pauseBetweenWritesMs?.(), 3_000);
  const fts = optionsFromPytakEnv({ FTS_COMPAT: 'on' }).pauseBetweenWritesMs;
  assert.ok(fts);
  for (let i = 0; i < 100; i += 1) {
    const ms = fts();
    assert.ok(ms >= 0 && ms < 5_000);
  }
  assert.equal(optionsFromPytakEnv({ FTS_COMPAT: 'off' }).pauseBetweenWritesMs, undefined);
  assert.deepEqual(optionsFromPytakEnv({}), {});
});

test('bad values name the environment key', () => {
  const cases: [Record<string, string>, string][] = [
    [{ TAK_PROTO: '2' }, 'TAK_PROTO'],
    [{ PYTAK_TLS_DONT_VERIFY: 'maybe' }, 'PYTAK_TLS_DONT_VERIFY'],
    [{ PYTAK_MULTICAST_TTL: '0' }, 'PYTAK_MULTICAST_TTL'],
    [{ MAX_OUT_QUEUE: '-5' }, 'MAX_OUT_QUEUE'],
    [{ PYTAK_SLEEP: 'soon' }, 'PYTAK_SLEEP'],
    [{ FTS_COMPAT: '2' }, 'FTS_COMPAT'],
  ];
  for (const [env, key] of cases) {
    assert.throws(() => optionsFromPytakEnv(env), (error: unknown) => error instanceof TransportConfigError && error.key === key, key);
  }
});

test('one boolean parser: true/false/yes/no/on/off/1/0, any case', () => {
  for (const yes of ['true', 'YES', 'On', '1']) assert.equal(parseBoolean('k', yes), true);
  for (const no of ['false', 'no', 'OFF', '0']) assert.equal(parseBoolean('k', no), false);
  assert.throws(() => parseBoolean('DEBUG', 'y'), /DEBUG: 'y' is not a boolean \(allowed: true\/false\/yes\/no\/on\/off\/1\/0\)/);
});
