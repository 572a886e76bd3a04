import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queueDirectory, stateDirectory } from './settings.js';

test('state directory from systemd, else /var/lib/takd; one queue directory per output', () => {
  assert.equal(stateDirectory({ STATE_DIRECTORY: '/var/lib/takd:/var/lib/other' }), '/var/lib/takd');
  assert.equal(stateDirectory({}), '/var/lib/takd');
  assert.equal(stateDirectory({ STATE_DIRECTORY: '/tmp/s' }), '/tmp/s');
  assert.equal(queueDirectory('/var/lib/takd', 'server'), '/var/lib/takd/queue/server');
  assert.equal(queueDirectory('/s', '../x'), '/s/queue/..%2Fx');
  assert.equal(queueDirectory('/s', '..'), '/s/queue/%2E%2E');
});
