import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdleWaiters } from './idle-waiters.js';

test('waiters are resolved together once, or rejected together once', async () => {
  const idle = new IdleWaiters();
  await idle.wait(true);
  assert.equal(idle.size, 0);
  const settled: string[] = [];
  const a = idle.wait(false).then(() => settled.push('a'));
  const b = idle.wait(false).then(() => settled.push('b'));
  assert.equal(idle.size, 2);
  idle.resolveAll();
  idle.rejectAll(new Error('too late'));
  await Promise.all([a, b]);
  assert.deepEqual(settled, ['a', 'b']);
  const c = idle.wait(false);
  idle.rejectAll(new Error('gave up'));
  await assert.rejects(c, /gave up/);
  assert.equal(idle.size, 0);
});
