// The transport table holds together: every row's example parses back to that row, kinds
// are made by one row each, and the help lines the CLI prints come from the rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kindForScheme, kindOf, transportKinds, userTransportKinds } from './table.js';
import { parseTransportUrl, transportDirection } from './url.js';

test("every row's example parses back to the row, with the row's own defaults", () => {
  for (const row of transportKinds) {
    const spec = parseTransportUrl(row.example, { hidden: true });
    assert.equal(kindOf(spec), row, row.example);
    assert.ok((row.kinds as readonly string[]).includes(spec.kind), row.example);
    assert.equal(kindForScheme(row.scheme, row.listens, true), row, row.example);
    assert.ok(row.usage.length > 0 && row.summary.length > 0);
    if (!row.receives) assert.equal(transportDirection(spec), 'send', row.example);
  }
});

test('each spec kind and each scheme/listen pair belongs to one row', () => {
  const kinds = transportKinds.flatMap((row) => [...row.kinds] as string[]);
  assert.equal(new Set(kinds).size, kinds.length);
  const names = transportKinds.map((row) => `${row.scheme}${row.listens ? '+listen' : ''}`);
  assert.equal(new Set(names).size, names.length);
});

test('aliases and schemes without a listening row', () => {
  assert.equal(parseTransportUrl('ssl://h').kind, 'tls');
  assert.equal(kindForScheme('ssl', true), kindForScheme('tls', true));
  // udp has no listening row: its parser refuses the modifier, as it always did.
  assert.throws(() => parseTransportUrl('udp+listen://0.0.0.0:6969'), /unknown modifier '\+listen' for udp:\/\//);
  assert.equal(kindForScheme('nope', false), undefined);
  assert.ok(userTransportKinds().every((row) => row.hidden !== true));
});
