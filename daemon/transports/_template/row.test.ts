// The template transport works as any row does: its URL parses through the table (only when
// hidden rows are asked for), it opens lazily through the table, and it sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../../codec/event.js';
import { TransportConfigError } from '../errors.js';
import { kindOf, transportKinds, userTransportKinds } from '../table.js';
import { parseTransportUrl, transportDirection, transportReceives, transportRole } from '../url.js';
import { openTransportFromSpec } from '../index.js';
import { templateKind } from './row.js';
import type { TemplateTransport } from './transport.js';

const event = (uid: string): CotEvent => ({ uid, type: 'a-f-G', how: 'm-g', time: 0, start: 0, stale: 60_000, point: { lat: 1, lon: 2, hae: 0, ce: 9_999_999, le: 9_999_999 } });

test('it is a row of the table, but not one users can name', () => {
  assert.ok((transportKinds as readonly unknown[]).includes(templateKind));
  assert.ok(!(userTransportKinds() as unknown[]).includes(templateKind));
  assert.throws(() => parseTransportUrl('template://a'), (e: unknown) => e instanceof TransportConfigError && /unknown scheme 'template'/.test(e.message));
});

test('its URL parses by its row: the label, and the row found again by kind', () => {
  const spec = parseTransportUrl('template://box-1', { hidden: true });
  assert.deepEqual(spec, { kind: 'template', label: 'box-1' });
  assert.equal(kindOf(spec), templateKind);
  assert.equal(transportRole(spec), 'sink');
  assert.equal(transportDirection(spec), 'send');
  assert.equal(transportReceives(spec), false);
});

test('bad template URLs are configuration errors with the usual wording', () => {
  for (const [url, why] of [
    ['template+wo://a', /unknown modifier '\+wo' for template:\/\//],
    ['template://', /takes a label/],
    ['template://A B', /takes a label/],
    ['template+listen://a', /unknown modifier '\+listen'/],
  ] as const) {
    assert.throws(() => parseTransportUrl(url, { hidden: true }), (e: unknown) => e instanceof TransportConfigError && e.key === 'url' && why.test(e.message), url);
  }
});

test('it opens through the table on first use, keeps template_keep uids and reports them', async () => {
  const spec = parseTransportUrl('template://t', { hidden: true });
  const transport = (await openTransportFromSpec(spec, { own: { template_keep: 2 } })) as TemplateTransport;
  assert.equal(transport.send(event('early')), false, 'not started: nothing taken');
  transport.start();
  for (const uid of ['a', 'b', 'c']) assert.equal(transport.send(event(uid)), true);
  assert.deepEqual(transport.uids(), ['b', 'c']);
  const status = transport.status();
  assert.equal(status.state, 'connected');
  assert.equal(status.counters.eventsSent, 3);
  assert.equal(status.name, 'template://t');
  await transport.close();
  assert.equal(transport.status().state, 'stopped');
});
