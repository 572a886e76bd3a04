// [status] tiles: a tile URL template becomes the origin the console's CSP names; anything
// else is refused with what is allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTileUrl } from './tile-url.js';

test('tile URL: the template and its origin', () => {
  assert.deepEqual(parseTileUrl('https://tiles.example.org/{z}/{x}/{y}.png'), { template: 'https://tiles.example.org/{z}/{x}/{y}.png', origin: 'https://tiles.example.org' });
  assert.deepEqual(parseTileUrl(' http://10.0.0.5:8080/osm/{z}/{x}/{y}.png?style=dark '), { template: 'http://10.0.0.5:8080/osm/{z}/{x}/{y}.png?style=dark', origin: 'http://10.0.0.5:8080' });
  assert.equal(parseTileUrl('http://[::1]:81/t?z={z}&x={x}&y={y}').origin, 'http://[::1]:81');
});

test('tile URL: refused, saying why', () => {
  const refused = (text: string, reason: RegExp): void => assert.throws(() => parseTileUrl(text), reason, text);
  refused('https://tiles.example.org/{z}/{x}.png', /needs \{y\}/);
  refused('', /needs \{z\}/);
  refused('ftp://tiles.example.org/{z}/{x}/{y}.png', /http:\/\/ or https:\/\//);
  refused('javascript:{z}{x}{y}', /http:\/\/ or https:\/\//);
  refused('https://user:secret@tiles.example.org/{z}/{x}/{y}.png', /no user name or password/);
  refused('https://{z}.tiles.example.org/{x}/{y}.png', /not the host|not a URL/);
  refused('not-a-url/{z}{x}{y}', /not a URL/);
  refused('https://tiles.example.org:99999/{z}/{x}/{y}.png', /not a URL/);
  refused(`https://tiles.example.org/${'\u0000'.repeat(10)}{z}/{x}/{y}`, /control characters/);
  refused('https://tiles.example.org/a b/{z}/{x}/{y}', /no spaces/);
});
