import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../codec/event.js';
import { MockLinkProvider, startSource, type GnssFix } from '../../hal/index.js';
import { nmeaGnssDriver } from '../../hal/drivers/nmea-gnss/index.js';
import { epochSentences } from '../../hal/drivers/sim/nmea-writer.js';
import { SimTrack } from '../../hal/drivers/sim/track.js';
import { PliReporter } from './reporter.js';
import { CotClock } from './time.js';
import { runOwnPosition } from './run.js';
import { waitUntil } from '../../test/support/wait.js';

test('own position: a GPS source on a mock device → PLI events; stop() ends the task', async () => {
  const mock = new MockLinkProvider();
  const device = mock.device('/dev/gps');
  const source = startSource<string, GnssFix>({ id: 'source.gps', url: 'mock:///dev/gps', driver: nmeaGnssDriver, providers: new Map([['mock', mock]]) });
  const events: CotEvent[] = [];
  const reporter = new PliReporter({
    identity: { uid: 'takd-run', callsign: 'RUN-1', type: 'a-f-G-U-C', team: 'Cyan', role: 'Team Member', takv: { device: 'd', os: 'o', platform: 'takd', version: '0' } },
    outputs: [{ name: 'output.mesh' }],
    clock: new CotClock({ isSynchronised: () => true }),
    send: (_output, event) => events.push(event),
  });
  const task = runOwnPosition(source, reporter);
  await waitUntil(() => device.isOpen, 'the GPS device open');
  const track = new SimTrack({ lat: 52.52, lon: 13.4, speed: 0, fixLossEverySeconds: 0 });
  const start = Date.UTC(2026, 0, 1);
  for (let s = 0; s < 3; s++) device.send(epochSentences(track.at(start + s * 1000, start)));
  await waitUntil(() => events.length > 0, 'a PLI event');
  assert.equal(events[0].uid, 'takd-run');
  assert.ok(Math.abs(events[0].point.lat - 52.52) < 0.01);
  await task.stop();
  await task.done;
});
