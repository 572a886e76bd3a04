import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { waitUntil } from '../../test/support/wait.js';
import { fatalErrorHandler, installSignalHandlers } from './signals.js';

function recordingLogger(lines: string[]): Logger {
  const logger: Logger = {
    ...silentLogger,
    info: (_p, m) => lines.push(`info ${m}`),
    warn: (_p, m) => lines.push(`warn ${m}`),
    error: (_p, m) => lines.push(`error ${m}`),
    fatal: (p, m) => lines.push(`fatal ${m} ${JSON.stringify(p)}`),
    child: () => logger,
  };
  return logger;
}

// process.emit calls only our listeners: no real signal is raised.
describe('signal handlers', () => {
  it('SIGHUP reloads, one at a time; SIGTERM stops then exits 0; a second signal exits 1 at once', async () => {
    const lines: string[] = [];
    const exits: number[] = [];
    let reloads = 0;
    const finishReload: (() => void)[] = [];
    let finishStop: () => void = () => undefined;
    const uninstall = installSignalHandlers(
      {
        reload: () => {
          reloads += 1;
          return new Promise<void>((resolve) => finishReload.push(resolve));
        },
        stop: () => new Promise<void>((resolve) => (finishStop = resolve)),
      },
      recordingLogger(lines),
      (code) => exits.push(code),
    );
    // After a macrotask every promise callback queued before it has run.
    const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    try {
      process.emit('SIGHUP', 'SIGHUP');
      process.emit('SIGHUP', 'SIGHUP');
      process.emit('SIGHUP', 'SIGHUP');
      assert.equal(reloads, 1, 'one reload at a time');
      finishReload[0]?.();
      await waitUntil(() => reloads === 2, 'the HUPs during the first reload run one more', 5_000);
      finishReload[1]?.();
      await settled();
      assert.equal(reloads, 2, 'the HUPs during a reload collapse into one more');
      process.emit('SIGTERM', 'SIGTERM');
      assert.deepEqual(exits, []);
      process.emit('SIGINT', 'SIGINT');
      assert.deepEqual(exits, [1]);
      finishStop();
      await waitUntil(() => exits.length === 2, 'exit after the stop finished', 5_000);
      assert.deepEqual(exits, [1, 0]);
      assert.deepEqual(lines, ['info stopping', 'warn second signal: exiting now']);
    } finally {
      uninstall();
    }
  });

  it('an uncaught exception is logged with its stack and exits 1', () => {
    const lines: string[] = [];
    const exits: number[] = [];
    // Emitting a real uncaughtException would also trip the test runner's own handler.
    fatalErrorHandler(recordingLogger(lines), (code) => exits.push(code))(new Error('boom'));
    assert.deepEqual(exits, [1]);
    assert.match(lines[0] ?? '', /^fatal unexpected error; exiting .*Error: boom\\n {4}at /);
  });
});
