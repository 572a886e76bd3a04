import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../../test/support/generators.js';
import { plainDecimalAt } from './decimal.js';

test('plain decimals read in place equal Number() to the last bit; other forms are left to Number()', () => {
  const random = seededRandom(11);
  const digits = (count: number) => Array.from({ length: count }, () => String(Math.floor(random() * 10))).join('');
  const cases = ['0', '-0', '+7', '39.0694791', '-105.4073395', '9999999.0', '0.000000000000001', '123456789012345', '1234567890.12345'];
  for (let i = 0; i < 50_000; i++) {
    const whole = digits(1 + Math.floor(random() * 9));
    const fraction = random() < 0.8 ? `.${digits(1 + Math.floor(random() * 9))}` : '';
    const sign = random() < 0.3 ? '-' : random() < 0.05 ? '+' : '';
    cases.push(`${sign}${whole}${fraction}`);
  }
  let read = 0;
  for (const text of cases) {
    const value = plainDecimalAt(`x${text}y`, 1, text.length + 1);
    if (Number.isNaN(value)) {
      // Only when there are more than 15 digits.
      assert.ok(text.replace(/[^0-9]/g, '').length > 15, text);
      continue;
    }
    read++;
    assert.ok(Object.is(value, Number(text)), `${text}: ${value} vs ${Number(text)}`);
  }
  assert.ok(read > 40_000);
  for (const other of ['', '-', '.5', '5.', '1e5', '0x10', ' 1', '1 ', 'Infinity', '1.2.3', '--1', '1234567890123456']) {
    assert.ok(Number.isNaN(plainDecimalAt(other, 0, other.length)), other);
  }
});
