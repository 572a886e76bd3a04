// Sources from the driver table: which take our PLI, which feed our own position, and the
// radio drivers' outbound sides (APRS beacon, Meshtastic send) through the one component.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MockLinkProvider, type DriverSettings } from '../../hal/index.js';
import { loadConfig } from '../../config/loader.js';
import { viewConfig, type SourceConfig } from '../../config/view.js';
import { waitUntil } from '../../test/support/wait.js';
import { silentLogger } from '../log.js';
import type { AttachableOutput } from '../routing/attachable-target.js';
import { makeEvent } from '../../test/support/routing.js';
import { feedsOwnPosition, ownPliTargets, sourceComponent, type SourceDeps } from './index.js';

const source = (id: string, driver: string, settings: DriverSettings = {}, enabled = true): SourceConfig => ({
  id, driver, link: `mock:///dev/${id}`, enabled, settings,
});

function deps(attached: Map<string, AttachableOutput>): SourceDeps {
  return {
    providers: new Map([['mock', new MockLinkProvider()]]),
    logger: silentLogger,
    queueCapacity: 10,
    routing: { setOutput: (id, output) => attached.set(id, output), removeOutput: (id) => attached.delete(id) },
    publish: () => undefined,
    onOwnFix: () => undefined,
    ownFix: () => undefined,
  };
}

test('our PLI goes to the enabled meshtastic sources that send pli', () => {
  const targets = ownPliTargets([
    source('source.both', 'meshtastic'),
    source('source.chat', 'meshtastic', { send: 'chat' }),
    source('source.off', 'meshtastic', {}, false),
    source('source.gps', 'nmea-gnss'),
  ]);
  assert.deepEqual(targets, ['source.both']);
});

test('GPS drivers feed our own position; AIS only with own_position', () => {
  assert.equal(feedsOwnPosition([source('source.gps', 'nmea-gnss')]), true);
  assert.equal(feedsOwnPosition([source('source.gps', 'gpsd', {}, false)]), false);
  assert.equal(feedsOwnPosition([source('source.ais', 'ais'), source('source.mesh', 'meshtastic')]), false);
  assert.equal(feedsOwnPosition([source('source.ais', 'ais', { own_position: true })]), true);
});

test('a driver not in this build fails at start, by name', async () => {
  const component = sourceComponent(source('source.x', 'no-such-driver'), deps(new Map()));
  await assert.rejects(component.start(), /driver 'no-such-driver' is not in this build/);
  assert.equal(component.status().state, 'failed');
});

test('a placeholder callsign leaves the APRS source without a beacon', async () => {
  const withBeacon = sourceComponent(source('source.aprs', 'kiss-aprs', { callsign: 'KD0ABC-9' }), deps(new Map()));
  const placeholder = sourceComponent(source('source.aprs', 'kiss-aprs', { callsign: 'N0CALL' }), deps(new Map()));
  await withBeacon.start();
  await placeholder.start();
  try {
    assert.equal(withBeacon.status().counters.beaconsSent, 0);
    assert.equal(placeholder.status().counters.beaconsSent, undefined);
  } finally {
    await withBeacon.stop();
    await placeholder.stop();
  }
});

test('a meshtastic source is a router output that takes only the chosen kinds into its budget', async () => {
  const attached = new Map<string, AttachableOutput>();
  const mesh = sourceComponent(source('source.mesh', 'meshtastic', { send: 'pli' }), deps(attached));
  await mesh.start();
  try {
    const output = attached.get('source.mesh');
    assert.ok(output !== undefined, 'registered as an output under its own id');
    // Before the radio's config dump the router sees the link as not up.
    assert.equal(output.status?.().state, 'starting');
    assert.deepEqual(Object.keys(output.status?.() ?? {}), ['state'], 'no counters of its own: what it does is counted in the component status');
    const pli = makeEvent('ANDROID-1', 'a-f-G-U-C', Date.now(), { point: { lat: 51.5, lon: -0.1, hae: 10, ce: 5, le: 5 }, contact: { callsign: 'ALPHA' } });
    assert.equal(output.send(pli), true);
    assert.equal(output.send(makeEvent('GeoChat.ANDROID-1.All Chat Rooms.1', 'b-t-f', Date.now(), { xmlDetail: '<remarks>hi</remarks>' })), false);
    assert.equal(output.send(makeEvent('marker-1', 'u-d-p', Date.now())), false);
    // Offering is synchronous: the counters are current at once.
    const counters = mesh.status().counters;
    assert.equal(counters['airtime.offered'], 1);
    assert.equal(counters['airtime.queued'], 1);
    assert.equal(counters.notChosen, 2);
  } finally {
    await mesh.stop();
  }
  assert.equal(attached.has('source.mesh'), false, 'removed from the router on stop');
});

test('a radio configured without ?baud= is opened at its driver default (meshtastic 115200, ais 38400)', async () => {
  const settings = ['source.radio.driver=meshtastic', 'source.radio.link=serial:///dev/ttyACM0', 'source.ais.driver=ais', 'source.ais.link=serial:///dev/ttyUSB1'];
  const config = viewConfig(loadConfig({ args: settings.flatMap((s) => ['--set', s]), env: {}, defaultFile: '/nonexistent/takd.ini' }).config);
  // A fake serial port at the HAL seam: it records how each link was opened.
  const serial = new MockLinkProvider('serial');
  const radio = serial.device('/dev/ttyACM0');
  const ais = serial.device('/dev/ttyUSB1');
  const components = config.sources.map((source) => sourceComponent(source, { ...deps(new Map()), providers: new Map([['serial', serial]]) }));
  try {
    for (const component of components) await component.start();
    await waitUntil(() => radio.isOpen && ais.isOpen, 'both serial ports open', 5000);
    assert.equal(radio.openedWith[0]?.baud, 115200);
    assert.equal(ais.openedWith[0]?.baud, 38400);
    assert.match(components.find((c) => c?.id === 'source.ais')?.status().detail ?? '', /running on mock \/dev\/ttyUSB1/);
  } finally {
    for (const component of components) await component.stop();
  }
});

test('a new device family needs no daemon code: the template row runs as a source with its keys', async () => {
  const published: { uid: string; from: string }[] = [];
  const mock = new MockLinkProvider();
  const device = mock.device('/dev/source.pin');
  const component = sourceComponent(source('source.pin', '_template', { uid: 'PIN-9' }), {
    ...deps(new Map()),
    providers: new Map([['mock', mock]]),
    publish: (event, from) => published.push({ uid: event.uid, from }),
  });
  await component.start();
  try {
    await waitUntil(() => device.isOpen, 'the template device open');
    device.send('48.85,2.35\n');
    await waitUntil(() => published.length === 1, 'one CoT from the template driver');
    assert.deepEqual(published, [{ uid: 'PIN-9', from: 'source.pin' }]);
    assert.equal(component.status().counters['decoder.positions'], 1);
  } finally {
    await component.stop();
  }
});
