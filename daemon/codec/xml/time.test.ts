import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../../test/support/generators.js';
import { parseCotTime, parseCotTimeAt } from './time.js';

/** The straightforward reading: Date.UTC, and a round trip through Date to refuse 31 February (leap second or not). */
function reference(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/.exec(s);
  if (!m) return NaN;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN;
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

test('CoT times parse to the same milliseconds as Date does, and the same strings are refused', () => {
  const cases = [
    '2024-02-29T12:00:00Z', '2023-02-29T12:00:00Z', '2000-02-29T00:00:00.5Z', '1900-02-29T00:00:00Z', '2024-04-31T00:00:00Z',
    '2024-12-31T23:59:60.999Z', '2024-05-01T12:00:00.047Z', '2024-05-01T12:00:00.0471234Z', '2024-05-01T12:00:00.Z',
    '2024-05-01T12:00:00', '2024-05-01T24:00:00Z', '2024-13-01T00:00:00Z', '2024-05-01T12:00:00.04xZ', '2024-05-01 12:00:00Z',
  ];
  const random = seededRandom(5);
  const digit = () => String(Math.floor(random() * 10));
  for (let i = 0; i < 20_000; i++) {
    // Mostly plausible dates, some days past the month's end, and times that share seconds.
    const year = 1970 + Math.floor(random() * 130);
    const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(random() * 31)).padStart(2, '0');
    const fraction = random() < 0.7 ? `.${Array.from({ length: 1 + Math.floor(random() * 5) }, digit).join('')}` : '';
    cases.push(`${year}-${month}-${day}T${digit()}${digit()}:${digit()}${digit()}:${digit()}${digit()}${fraction}Z`);
  }
  for (const s of cases) {
    const expected = reference(s);
    const actual = parseCotTime(s);
    // Twice: the second read comes from the per-second cache.
    assert.ok(Object.is(actual, expected) && Object.is(parseCotTime(s), expected), `${s}: ${actual} vs ${expected}`);
    // In place, inside a longer text (as the decoder reads it), with digits on both sides.
    const inside = parseCotTimeAt(`9${s}9`, 1, s.length + 1);
    assert.ok(Object.is(inside, expected), `${s} in place: ${inside} vs ${expected}`);
  }
});
