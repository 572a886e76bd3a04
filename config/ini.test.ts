import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './errors.js';
import { parseIni } from './ini.js';

describe('parseIni', () => {
  it('sections, both separators, comments, lower-cased names, line numbers', () => {
    const doc = parseIni('; head\n[Output.Mesh]\nURL = udp://239.2.3.1:6969 ; inline\nttl: 2\n# end\n', 'f.ini');
    assert.deepEqual(doc.sections, [
      {
        name: 'output.mesh',
        line: 2,
        entries: [
          { key: 'url', written: 'URL', value: 'udp://239.2.3.1:6969', line: 3 },
          { key: 'ttl', written: 'ttl', value: '2', line: 4 },
        ],
      },
    ]);
  });
  it('keeps ; and # inside a value when not after whitespace', () => {
    const doc = parseIni('[a]\npassword = pa;ss#word\nempty =\n', 'f.ini');
    assert.deepEqual(doc.sections[0]?.entries.map((e) => e.value), ['pa;ss#word', '']);
  });
  it('a BOM and CRLF line ends are fine', () => {
    const doc = parseIni('\uFEFF[takd]\r\ncallsign = A\r\n', 'f.ini');
    assert.equal(doc.sections[0]?.entries[0]?.value, 'A');
  });
  it('collects every syntax problem', () => {
    assert.throws(
      () => parseIni('orphan = 1\n[ok]\n[bad\nnot a pair\n', 'f.ini'),
      (error: unknown) => error instanceof ConfigError && error.problems.length === 3,
    );
  });
});
