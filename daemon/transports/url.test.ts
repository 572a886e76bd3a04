import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TransportConfigError } from './errors.js';
import { parseTransportUrl, transportDirection, transportRole } from './url.js';

test('tcp, tls and ssl with default ports and modifiers', () => {
  assert.deepEqual(parseTransportUrl('tcp://tak.example.org'), { kind: 'tcp', host: 'tak.example.org', port: 8087, direction: 'both' });
  assert.deepEqual(parseTransportUrl('tls://tak.example.org'), { kind: 'tls', host: 'tak.example.org', port: 8089, direction: 'both' });
  assert.deepEqual(parseTransportUrl('ssl://10.0.0.1:8443'), { kind: 'tls', host: '10.0.0.1', port: 8443, direction: 'both' });
  assert.equal((parseTransportUrl('tcp+wo://h:1') as { direction: string }).direction, 'send');
  assert.equal((parseTransportUrl('tls+ro://h:1') as { direction: string }).direction, 'receive');
});

test('IPv6 literals in brackets', () => {
  assert.deepEqual(parseTransportUrl('tcp://[::1]:9000'), { kind: 'tcp', host: '::1', port: 9000, direction: 'both' });
  assert.deepEqual(parseTransportUrl('tls://[fe80::1]'), { kind: 'tls', host: 'fe80::1', port: 8089, direction: 'both' });
  const udp = parseTransportUrl('udp://[ff02::1]:6969');
  assert.equal(udp.kind === 'udp' && udp.cast, 'multicast');
});

test('udp: multicast detection, broadcast, wo/ro, ttl and interfaces', () => {
  assert.deepEqual(parseTransportUrl('udp://239.2.3.1'), { kind: 'udp', host: '239.2.3.1', port: 6969, cast: 'multicast', direction: 'both', interfaces: [] });
  assert.deepEqual(parseTransportUrl('udp+wo://192.168.1.5:4242'), { kind: 'udp', host: '192.168.1.5', port: 4242, cast: 'unicast', direction: 'send', interfaces: [] });
  assert.deepEqual(parseTransportUrl('udp+broadcast://255.255.255.255:6969'), { kind: 'udp', host: '255.255.255.255', port: 6969, cast: 'broadcast', direction: 'both', interfaces: [] });
  assert.deepEqual(parseTransportUrl('udp://239.2.3.1:6969?ttl=2&interface=eth0,wlan0&interface=10.0.0.2'), {
    kind: 'udp', host: '239.2.3.1', port: 6969, cast: 'multicast', direction: 'both', ttl: 2, interfaces: ['eth0', 'wlan0', '10.0.0.2'],
  });
});

test('listeners, log and file', () => {
  assert.deepEqual(parseTransportUrl('tcp+listen://0.0.0.0:8087'), { kind: 'tcp-listen', host: '0.0.0.0', port: 8087, direction: 'both' });
  assert.deepEqual(parseTransportUrl('tls+listen://[::]'), { kind: 'tls-listen', host: '::', port: 8089, direction: 'both' });
  assert.deepEqual(parseTransportUrl('log://stdout'), { kind: 'log', stream: 'stdout' });
  assert.deepEqual(parseTransportUrl('file:///var/log/takd/cot.xml'), { kind: 'file', path: '/var/log/takd/cot.xml' });
});

test('mistakes are configuration errors that name the key and say what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['tcp//host:8087', /not a URL/],
    ['gopher://host', /unknown scheme 'gopher'/],
    ['tcp://host:99999', /bad port '99999'/],
    ['tcp://host:0', /bad port/],
    ['tcp://ho st:8087', /bad host/],
    ['tcp://::1:8087', /bad host:port/],
    ['tcp://[zz::1]:8087', /bad IPv6/],
    ['tcp+wo+ro://h', /\+wo and \+ro/],
    ['tcp+broadcast://h', /unknown modifier/],
    ['udp+listen://h', /unknown modifier/],
    ['udp://239.2.3.1?ttl=0', /not a TTL/],
    ['udp://239.2.3.1?ttl=256', /not a TTL/],
    ['udp://239.2.3.1?tll=2', /unknown parameter 'tll'/],
    ['udp+broadcast://[::1]', /no broadcast/],
    ['tcp+listen://example.org:8087', /binds an address/],
    ['log://syslog', /log:\/\/stdout or log:\/\/stderr/],
    ['file://', /missing path/],
    ['tcp://:8087', /missing host/],
  ];
  for (const [url, message] of cases) {
    assert.throws(() => parseTransportUrl(url), (error: unknown) => {
      assert.ok(error instanceof TransportConfigError, url);
      assert.ok(error.key === 'url' || error.key === 'url ttl', `${url}: key ${error.key}`);
      assert.match(error.message, message, url);
      return true;
    });
  }
});

test('role and direction come from the parsed URL: modifiers change the direction, never the role', () => {
  const cases: [string, string, string][] = [
    ['tcp://h', 'server', 'both'],
    ['ssl+wo://h', 'server', 'send'],
    ['tls+ro://h', 'server', 'receive'],
    ['tcp+listen://0.0.0.0', 'peers', 'both'],
    ['tcp+listen+ro://0.0.0.0:8087', 'peers', 'receive'],
    ['TCP+RO+LISTEN://0.0.0.0', 'peers', 'receive'],
    ['tls+listen+wo://[::]', 'peers', 'send'],
    ['udp://239.2.3.1', 'mesh', 'both'],
    ['udp+broadcast+ro://255.255.255.255', 'mesh', 'receive'],
    ['log://stdout', 'sink', 'send'],
    ['file:///tmp/cot.xml', 'sink', 'send'],
  ];
  for (const [url, role, direction] of cases) {
    const spec = parseTransportUrl(url);
    assert.deepEqual([transportRole(spec), transportDirection(spec)], [role, direction], url);
  }
});
