import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBoolean, parseValue, ValueError } from './values.js';

describe('parseBoolean', () => {
  it('accepts the eight words in any case and spacing', () => {
    for (const word of ['true', 'YES', 'On', ' 1 ']) assert.equal(parseBoolean(word), true, word);
    for (const word of ['false', 'No', 'OFF', '0']) assert.equal(parseBoolean(word), false, word);
  });
  it('refuses anything else', () => {
    for (const word of ['', 'y', 'n', 'enable', '2', 'truee']) assert.throws(() => parseBoolean(word), ValueError, word);
  });
});

describe('parseValue', () => {
  it('numbers: integers refuse fractions, ranges are inclusive', () => {
    const type = { kind: 'integer', min: 1, max: 255 } as const;
    assert.equal(parseValue('255', type), 255);
    assert.throws(() => parseValue('1.5', type), /not an integer/);
    assert.throws(() => parseValue('256', type), /out of range/);
    assert.equal(parseValue('0.5', { kind: 'number', min: 0, max: 1 }), 0.5);
  });
  it('enums match case-insensitively and return the canonical spelling', () => {
    assert.equal(parseValue('team lead', { kind: 'enum', values: ['Team Member', 'Team Lead'] }), 'Team Lead');
  });
  it('lists split on commas and drop blanks', () => {
    assert.deepEqual(parseValue(' eth0, ,wlan0 ', { kind: 'list' }), ['eth0', 'wlan0']);
  });
  it('link URLs need a known scheme and a numeric baud', () => {
    assert.equal(parseValue('serial:///dev/ttyUSB0?baud=4800', { kind: 'link-url' }), 'serial:///dev/ttyUSB0?baud=4800');
    assert.throws(() => parseValue('serial:///dev/ttyUSB0?baud=fast', { kind: 'link-url' }), /baud/);
    assert.throws(() => parseValue('/dev/ttyUSB0', { kind: 'link-url' }), /not a link URL/);
  });
  it('host:port allows empty (off) and bracketed IPv6', () => {
    assert.equal(parseValue('', { kind: 'hostport' }), '');
    assert.equal(parseValue('[::1]:9000', { kind: 'hostport' }), '[::1]:9000');
    assert.throws(() => parseValue('127.0.0.1:99999', { kind: 'hostport' }), /host:port/);
  });
});
