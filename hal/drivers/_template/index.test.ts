// The template driver works as any row does: decodes captures, builds CoT from its keys,
// runs as a source from the table through openDriver, and stays out of the user's view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../../../daemon/codec/event.js';
import { findDriver, drivers, userDrivers } from '../../registry.js';
import { openDriver } from '../../open.js';
import { MockLinkProvider } from '../../links/mock.js';
import { silentLogger } from '../../logger.js';
import { waitUntil } from '../../../test/support/wait.js';
import { templateDriver, type TemplatePosition } from './index.js';

function decode(text: string): { positions: TemplatePosition[]; counters: Record<string, number> } {
  const framer = templateDriver.framer();
  const decoder = templateDriver.decoder();
  const positions: TemplatePosition[] = [];
  framer.push(Buffer.from(text), (frame) => decoder.decode(frame, (m) => positions.push(m)));
  decoder.flush((m) => positions.push(m));
  return { positions, counters: { ...decoder.counters } };
}

test('lat,lon lines become positions; the rest is counted, never thrown', () => {
  const { positions, counters } = decode('# a comment\n51.5,-0.12\n-33.9, 151.2\nnot a line\n91,0\n12,\n');
  assert.deepEqual(positions, [{ lat: 51.5, lon: -0.12 }, { lat: -33.9, lon: 151.2 }]);
  assert.equal(counters.positions, 2);
  assert.equal(counters.outOfRange, 1);
  assert.equal(counters.malformed, 1);
});

test('a position becomes a CoT marker, with the default uid and stale', () => {
  const event = templateDriver.toCot?.({ lat: 51.5, lon: -0.12 }, { sourceId: 'source.t', now: 1_000_000 });
  assert.equal(event?.uid, 'template-1');
  assert.equal(event?.stale, 1_060_000);
  assert.equal(event?.point.lat, 51.5);
});

test('it is a row of the table, found by name, but not one users can configure', () => {
  assert.equal(findDriver('_template'), templateDriver);
  assert.ok(drivers.includes(templateDriver));
  assert.ok(!userDrivers().includes(templateDriver));
});

test('opened from the table with its keys, it reads a device and makes CoT from the settings', async () => {
  const mock = new MockLinkProvider();
  const device = mock.device('/dev/template');
  const driver = findDriver('_template');
  assert.ok(driver !== undefined);
  const instance = openDriver(driver, {
    id: 'source.t', url: 'mock:///dev/template', providers: new Map([['mock', mock]]), logger: silentLogger,
    settings: { uid: 'PIN-7', stale: 30 }, ownFix: () => undefined,
  });
  try {
    const events: CotEvent[] = [];
    const reading = (async () => {
      for await (const message of instance.source.messages()) {
        const event = instance.toCot?.(message, { sourceId: 'source.t', now: 0 });
        if (event !== undefined) events.push(event);
        if (events.length === 1) break;
      }
    })();
    await waitUntil(() => device.isOpen, 'the template device open');
    device.send('48.85,2.35\n');
    await reading;
    assert.equal(events[0].uid, 'PIN-7');
    assert.equal(events[0].stale, 30_000);
    assert.equal(events[0].point.lon, 2.35);
  } finally {
    await instance.stop();
  }
});

test('hal/index.ts offers the table, not driver records or their factories', async () => {
  const exported = Object.keys(await import('../../index.js'));
  assert.ok(exported.includes('drivers') && exported.includes('findDriver') && exported.includes('openDriver'));
  const perDriver = exported.filter((name) => /Driver$|^create.*(Driver|ToCot)$|Client$|Session$|Beacon/.test(name) && name !== 'findDriver' && name !== 'openDriver');
  assert.deepEqual(perDriver, []);
});
