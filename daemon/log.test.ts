import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, prettyLine, type LoggerOptions } from './log.js';

function capture(options: LoggerOptions = {}): { lines: Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ format: 'json', isTerminal: false, env: {}, ...options, destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { lines, logger };
}

describe('logger', () => {
  it('child loggers carry their component', () => {
    const { lines, logger } = capture();
    logger.child({ component: 'output.mesh' }).info({ peers: 2 }, 'up');
    assert.equal(lines[0]?.component, 'output.mesh');
    assert.equal(lines[0]?.msg, 'up');
    assert.equal(lines[0]?.peers, 2);
    assert.equal(typeof lines[0]?.time, 'number');
  });

  it('passwords, passphrases and tokens are never written', () => {
    const { lines, logger } = capture();
    logger.info({ password: 'hunter2', tls: { passphrase: 'p12pass', cert: '/etc/takd/c.pem' }, token: 't0k' }, 'connecting');
    const text = JSON.stringify(lines);
    for (const secret of ['hunter2', 'p12pass', 't0k']) assert.ok(!text.includes(secret), secret);
    assert.equal((lines[0]?.tls as Record<string, unknown>).cert, '/etc/takd/c.pem');
  });

  it('a repeated warning is logged once per interval, then with the count suppressed', () => {
    let now = 0;
    const { lines, logger } = capture({ repeatIntervalMs: 60_000, now: () => now });
    const source = logger.child({ component: 'source.gps' });
    for (let i = 0; i < 100; i += 1) source.warn({ bytes: i }, 'bad checksum');
    source.warn({}, 'another problem');
    logger.child({ component: 'source.ais' }).warn({}, 'bad checksum');
    now = 61_000;
    source.warn({ bytes: 100 }, 'bad checksum');
    assert.deepEqual(
      lines.map((l) => [l.component, l.msg, l.suppressedRepeats]),
      [
        ['source.gps', 'bad checksum', undefined],
        ['source.gps', 'another problem', undefined],
        ['source.ais', 'bad checksum', undefined],
        ['source.gps', 'bad checksum', 99],
      ],
    );
  });

  it('under systemd (INVOCATION_ID) JSON lines carry no timestamp of our own', () => {
    const { lines, logger } = capture({ env: { INVOCATION_ID: 'abc' } });
    logger.info({}, 'hello');
    assert.equal(lines[0]?.time, undefined);
  });

  it('the level filters', () => {
    const { lines, logger } = capture({ level: 'warn' });
    logger.info({}, 'quiet');
    logger.error({}, 'loud');
    assert.deepEqual(lines.map((l) => l.msg), ['loud']);
  });

  it('pretty lines are readable', () => {
    const line = prettyLine(JSON.stringify({ level: 40, time: Date.UTC(2026, 0, 1, 12, 0, 1, 234), component: 'output.server', msg: 'retrying', delayS: 9 }));
    assert.equal(line, '12:00:01.234 WARN  output.server: retrying delayS=9\n');
  });
});
