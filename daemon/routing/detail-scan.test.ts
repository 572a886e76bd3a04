import { test } from 'node:test';
import assert from 'node:assert/strict';
import { martiRecipients, stripFlowTags } from './detail-scan.js';
import { seededRandom } from '../../test/support/generators.js';

test('flow tags are stripped, empty or with content, and nothing else is touched', () => {
  const remarks = '<remarks>hi</remarks>';
  assert.equal(stripFlowTags(remarks), remarks);
  assert.equal(stripFlowTags(`${remarks}<_flow-tags_ TAK-Server-abc="2024-05-01T12:00:00Z"/><link uid="x"/>`), `${remarks}<link uid="x"/>`);
  assert.equal(stripFlowTags('<_flow-tags_ a="1"><x/></_flow-tags_><b/><_flow-tags_/>'), '<b/>');
  assert.equal(stripFlowTags('<_flow-tags_ q="a>b"/><b/>'), '<b/>', 'a > inside a quoted value');
  assert.equal(stripFlowTags('<_flow-tags_x/>'), '<_flow-tags_x/>', 'another element name');
});

test('a broken flow-tags element never throws and never grows the text', () => {
  const random = seededRandom(7);
  const pieces = ['<_flow-tags_', '/>', '>', '</_flow-tags_>', '"', "'", '<a/>', 'x', ' '];
  for (let i = 0; i < 5_000; i++) {
    let fragment = '';
    const parts = Math.floor(random() * 10);
    for (let j = 0; j < parts; j++) fragment += pieces[Math.floor(random() * pieces.length)];
    const stripped = stripFlowTags(fragment);
    assert.ok(stripped.length <= fragment.length);
  }
});

test('marti dest callsigns and uids, unescaped', () => {
  const fragment = '<__chat id="x"/><marti><dest callsign="JULIET-1"/><dest callsign="A&amp;B"/><dest uid=\'ANDROID-1\'/></marti>';
  assert.deepEqual(martiRecipients(fragment), { callsigns: ['JULIET-1', 'A&B'], uids: ['ANDROID-1'] });
  assert.equal(martiRecipients('<marti/>'), undefined);
  assert.equal(martiRecipients('<remarks/>'), undefined);
  assert.equal(martiRecipients(undefined), undefined);
});
