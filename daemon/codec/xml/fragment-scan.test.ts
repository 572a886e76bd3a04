// The quick xmlDetail check: what it vouches for, and where it hands over to the SAX parser.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDetailFragment } from './detail.js';
import { scanSimpleFragment } from '../../../test/support/fragments.js';
import { scanFragment } from './fragment-scan.js';

test('vouches for plain elements and names the top-level ones', () => {
  assert.deepEqual(scanSimpleFragment('<uid Droid="A"/><remarks to=\'b\'>x &amp; y</remarks><link a="1" b="&lt;"/>'), ['uid', 'remarks', 'link']);
  assert.deepEqual(scanSimpleFragment(''), []);
});

test('refuses to vouch for anything outside the simple subset', () => {
  for (const fragment of ['<a>', '<a></b>', '<a x="1" x="2"/>', '<a x="&bogus;"/>', '<a>&#65;</a>', ' <a/>', '<!-- c --><a/>', '<a x="<"/>', '<a/>text']) {
    assert.equal(scanSimpleFragment(fragment), undefined, fragment);
  }
});

test('an entity is checked wherever it is, after many plain attributes too', () => {
  const plain = Array.from({ length: 20 }, (_, i) => `a${i}="v"`).join(' ');
  assert.ok(scanSimpleFragment(`<x ${plain}/><y>ok &amp; fine</y>`));
  assert.equal(scanSimpleFragment(`<x ${plain}/><y>bad & here</y>`), undefined);
  assert.equal(scanSimpleFragment(`<x ${plain} z="&amp;&bad;"/>`), undefined);
});

test('stops at the first top-level name the caller refuses', () => {
  const seen: string[] = [];
  assert.equal(scanFragment('<uid/><contact callsign="x"/><remarks/>', (name) => (seen.push(name), name !== 'contact')), false);
  assert.deepEqual(seen, ['uid', 'contact']);
});

test('deep nesting and many attributes are left to the SAX parser, which still accepts them', () => {
  const deep = '<a>'.repeat(100) + '</a>'.repeat(100);
  assert.equal(scanSimpleFragment(deep), undefined);
  assert.equal(parseDetailFragment(deep).fields.xmlDetail, deep);
  const wide = `<a ${Array.from({ length: 40 }, (_, i) => `k${i}="v"`).join(' ')}/>`;
  assert.equal(scanSimpleFragment(wide), undefined);
  assert.equal(parseDetailFragment(wide).fields.xmlDetail, wide);
});
