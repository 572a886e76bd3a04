// The ais driver as the daemon runs it: a Source on a mock receiver. Sentences arrive in
// odd chunks, the device is unplugged in the middle of a two-fragment message (the
// half message is dropped, counted, never joined to what follows the replug), and every
// positioned target becomes CoT through the driver's toCot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../daemon/codec/event.js';
import { aisDriver } from '../hal/drivers/ais/index.js';
import type { AisMessage } from '../hal/drivers/ais/decoder.js';
import { MockLinkProvider } from '../hal/links/mock.js';
import { startSource } from '../hal/source.js';
import { waitUntil } from './support/wait.js';

const voyage1 = '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C\r\n';
const voyage2 = '!AIVDM,2,2,1,A,88888888880,2*25\r\n';
const position = '!AIVDM,1,1,,A,15?MbV0P00Jt63hHaa6SagvJ087r,0*0D\r\n';

test('ais source: chunks, unplug mid-message, replug, static data joined, CoT', async () => {
  const mock = new MockLinkProvider();
  const device = mock.device('/dev/ttyAIS');
  const source = startSource({ id: 'source.ais', url: 'mock:///dev/ttyAIS', driver: aisDriver, providers: new Map([['mock', mock]]), retryInitialMs: 10, retryMaxMs: 50 });
  const messages: AisMessage[] = [];
  const consumer = (async () => {
    for await (const message of source.messages()) messages.push(message);
  })();
  try {
    await waitUntil(() => device.isOpen, 'condition', 5000);
    device.send(voyage1.slice(0, 30));
    device.send(voyage1.slice(30));
    device.unplug(); // half a type 5 is pending
    await waitUntil(() => source.status().state === 'retrying', 'condition', 5000);
    device.plugIn();
    await waitUntil(() => device.isOpen, 'condition', 5000);
    device.send(voyage2); // the second half alone: discarded
    device.send(`noise\r\n${voyage1}${voyage2}${position}`);
    await waitUntil(() => messages.length >= 2, 'condition', 5000);
    assert.deepEqual(messages.map((m) => m.report.type), [5, 1]);
    const status = source.status();
    assert.ok(status.decoder.fragmentsDiscarded >= 1, JSON.stringify(status.decoder));
    assert.equal(status.connects, 2);
    const events = messages.map((m) => aisDriver.toCot?.(m, { sourceId: 'source.ais', now: 0 })).filter((e): e is CotEvent => e !== undefined);
    assert.equal(events.length, 1);
    assert.deepEqual([events[0].uid, events[0].contact?.callsign, events[0].type], ['AIS.351759000', 'EVER DIADEM', 'a-u-S-X-M-C']);
  } finally {
    await source.stop();
    await consumer;
  }
});
