// PyTAK-style configurations work unchanged: config.ini files as PyTAK's documentation
// writes them (an app section with upper-case keys) and environment-only setups.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { viewConfig } from '../config/view.js';
import { load, TempDir } from './support/config-fixtures.js';

const dir = new TempDir();
after(() => dir.remove());

describe('PyTAK config.ini', () => {
  it('a [mycottool] section with COT_URL and the TLS keys', () => {
    const file = dir.file(
      'config.ini',
      [
        '[mycottool]',
        'COT_URL = tls://takserver.example.com:8089',
        'PYTAK_TLS_CLIENT_CERT = /etc/pytak/client.pem',
        'PYTAK_TLS_CLIENT_KEY = /etc/pytak/client.key',
        'PYTAK_TLS_CLIENT_CAFILE = /etc/pytak/ca.pem',
        'PYTAK_TLS_CLIENT_PASSWORD = atakatak',
        'PYTAK_TLS_DONT_CHECK_HOSTNAME = 1',
        'PYTAK_TLS_DONT_VERIFY = 0',
        'PYTAK_TLS_SERVER_EXPECTED_HOSTNAME = takserver',
        'PYTAK_TLS_CLIENT_CIPHERS = ECDHE-RSA-AES256-GCM-SHA384',
        'TAK_PROTO = 1',
        'COT_HOST_ID = pytak-host',
        'COT_STALE = 3600',
        'MAX_OUT_QUEUE = 1000',
        'MAX_IN_QUEUE = 2000',
        'PYTAK_SLEEP = 2',
        'FTS_COMPAT = 0',
        'PYTAK_NO_HELLO = true',
        'DEBUG = 0',
        '',
      ].join('\n'),
    );
    const view = viewConfig(load(['-c', file]));
    assert.equal(view.outputs.length, 1);
    const [output] = view.outputs;
    assert.equal(output?.id, 'output.cot_url');
    assert.equal(output?.url, 'tls://takserver.example.com:8089');
    assert.equal(output?.proto, 1);
    assert.deepEqual(output?.tls, {
      cert: '/etc/pytak/client.pem',
      key: '/etc/pytak/client.key',
      ca: '/etc/pytak/ca.pem',
      password: 'atakatak',
      dontCheckHostname: true,
      expectedHostname: 'takserver',
      ciphers: 'ECDHE-RSA-AES256-GCM-SHA384',
    });
    assert.equal(output?.maxQueue, 1000);
    assert.equal(output?.sleepMs, 2000);
    assert.equal(output?.hello, false);
    assert.equal(view.identity.uid, 'pytak-host');
    assert.equal(view.pli.staleMs, 3_600_000);
    assert.equal(view.maxInQueue, 2000);
    assert.equal(view.log.level, 'info');
  });

  it('multicast keys, both spellings of the interface key', () => {
    const file = dir.file('mcast.ini', '[pytak]\nCOT_URL = udp://239.2.3.1:6969\nPYTAK_MULTICAST_LOCAL_ADDR = 192.168.1.10\nPYTAK_MULTICAST_TTL = 2\n');
    const [output] = viewConfig(load(['-c', file])).outputs;
    assert.deepEqual(output?.interfaces, ['192.168.1.10']);
    assert.equal(output?.ttl, 2);
  });

  it('keys in lower case work too, as configparser reads them', () => {
    const file = dir.file('lower.ini', '[adsbcot]\ncot_url = tcp://10.1.2.3:8087\ntak_proto = 1\nfeed_url = http://localhost/data.json\n');
    const config = load(['-c', file]);
    assert.equal(config.sections.get('output.cot_url')?.get('url')?.value, 'tcp://10.1.2.3:8087');
    assert.equal(config.sections.get('output.cot_url')?.get('proto')?.value, '1');
    assert.deepEqual(config.warnings, [`${file}:1: [adsbcot]: ignored keys takd does not use: feed_url`]);
  });

  it("a gateway's own keys are a warning, not an error", () => {
    const file = dir.file('aiscot.ini', '[aiscot]\nCOT_URL = tcp://10.1.2.3:8087\nAIS_PORT = 5050\nKNOWN_CRAFT = known.csv\n');
    const config = load(['-c', file]);
    assert.deepEqual(config.warnings, [`${file}:1: [aiscot]: ignored keys takd does not use: AIS_PORT, KNOWN_CRAFT`]);
    assert.equal(config.sections.get('output.cot_url')?.get('url')?.value, 'tcp://10.1.2.3:8087');
  });
});

describe('PyTAK environment', () => {
  it('COT_URL alone makes an output and nothing else', () => {
    const view = viewConfig(load([], { COT_URL: 'tcp://takserver:8087', PYTAK_TLS_DONT_VERIFY: 'true', DEBUG: 'yes', FTS_COMPAT: 'on' }));
    assert.deepEqual(view.outputs.map((o) => [o.id, o.url, o.tls.dontVerify, o.ftsCompat]), [['output.cot_url', 'tcp://takserver:8087', true, true]]);
    assert.equal(view.log.level, 'debug');
  });
  it('PyTAK keys also apply to outputs defined the takd way', () => {
    const view = viewConfig(load(['--set', 'output.mesh.url=udp://239.2.3.1:6969'], { PYTAK_MULTICAST_LOCAL_ADDRS: 'eth0,eth1', MAX_OUT_QUEUE: '50' }));
    assert.deepEqual(view.outputs[0]?.interfaces, ['eth0', 'eth1']);
    assert.equal(view.outputs[0]?.maxQueue, 50);
  });
});
