// The closing summary of scripts/run-tests.ts: counts as Node counts them (a skipped suite
// once, since Node then reports none of its tests), skips grouped by reason, and the plain
// last line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import summaryReporter, { summarize, type TestOutcome } from './summary-reporter.js';

const root = '/build';

test('summary: skips by reason with their files, failures, and "N passed, N failed, N skipped" last', () => {
  const outcomes: TestOutcome[] = [
    { outcome: 'pass', name: 'a', file: '/build/test/a.test.js', suite: false },
    { outcome: 'pass', name: 'suite A', file: '/build/test/a.test.js', suite: true },
    { outcome: 'skip', name: 'ttl', file: '/build/test/m.test.js', suite: false, reason: 'no multicast forwarding' },
    { outcome: 'skip', name: 'ttl again', file: '/build/test/n.test.js', suite: false, reason: 'no multicast forwarding' },
    { outcome: 'skip', name: 'deb', file: '/build/test/d.test.js', suite: true, reason: 'needs dpkg-deb' },
    { outcome: 'fail', name: 'broken', file: '/build/test/b.test.js', suite: false, reason: 'expected 1\nactual 2' },
    { outcome: 'cancelled', name: 'after broken', file: '/build/test/b.test.js', suite: false },
  ];
  const lines = summarize(outcomes, root);
  assert.equal(lines.at(-1), '1 passed, 2 failed, 3 skipped');
  assert.ok(lines.includes('  2 tests: no multicast forwarding [test/m.test.js, test/n.test.js]'), lines.join('\n'));
  assert.ok(lines.includes('  1 suite: needs dpkg-deb [test/d.test.js]'), lines.join('\n'));
  assert.ok(lines.includes('  test/b.test.js: broken — expected 1'), lines.join('\n'));
  assert.ok(lines.includes('  test/b.test.js: after broken (cancelled)'), lines.join('\n'));
});

test('summary: a long list is cut to one screen', () => {
  const outcomes: TestOutcome[] = Array.from({ length: 40 }, (_, i) => ({ outcome: 'skip', name: `t${i}`, file: '/build/x.test.js', suite: false, reason: `reason ${i}` }));
  const lines = summarize(outcomes, root);
  assert.ok(lines.length < 25, `${lines.length} lines`);
  assert.match(lines.join('\n'), /… and 26 more/);
  assert.equal(lines.at(-1), '0 passed, 0 failed, 40 skipped');
});

test('reporter: test events become outcome lines', async () => {
  async function* events() {
    yield { type: 'test:pass', data: { name: 'p', file: '/f', details: { type: 'test' } } };
    yield { type: 'test:pass', data: { name: 's', file: '/f', skip: 'needs socat', details: {} } };
    yield { type: 'test:fail', data: { name: 'c', file: '/f', details: { error: { failureType: 'cancelledByParent', message: 'x' } } } };
    yield { type: 'test:diagnostic', data: { message: 'ignored' } };
  }
  const lines: TestOutcome[] = [];
  for await (const line of summaryReporter(events())) lines.push(JSON.parse(line) as TestOutcome);
  assert.deepEqual(lines.map((l) => [l.name, l.outcome, l.reason]), [['p', 'pass', undefined], ['s', 'skip', 'needs socat'], ['c', 'cancelled', 'x']]);
});
