import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../log.js';
import type { Component, ComponentKind, ComponentSpec, ComponentState } from './component.js';
import { ComponentStartError, Supervisor } from './supervisor.js';

class FakeComponent implements Component {
  state: ComponentState = 'stopped';
  constructor(readonly id: string, readonly kind: ComponentKind, private readonly journal: string[], private readonly options: { failStart?: boolean; flushMs?: number } = {}) {}
  async start(): Promise<void> {
    this.journal.push(`start ${this.id}`);
    if (this.options.failStart) throw new Error('port in use');
    this.state = 'connected';
  }
  async stop(): Promise<void> {
    this.journal.push(`stop ${this.id}`);
    this.state = 'stopped';
  }
  async flush(): Promise<void> {
    await sleep(this.options.flushMs ?? 0);
    this.journal.push(`flushed ${this.id}`);
  }
  status() {
    return { id: this.id, kind: this.kind, state: this.state, detail: this.state, counters: {} };
  }
}

function spec(id: string, kind: ComponentKind, journal: string[], made: FakeComponent[], options: { failStart?: boolean; flushMs?: number; fingerprint?: string } = {}): ComponentSpec {
  return {
    id,
    kind,
    fingerprint: options.fingerprint ?? 'v1',
    create: () => {
      const component = new FakeComponent(id, kind, journal, options);
      made.push(component);
      return component;
    },
  };
}

describe('Supervisor', () => {
  it('starts outputs, then inputs, then sources; stops intake first, flushes, then outputs', async () => {
    const journal: string[] = [];
    const made: FakeComponent[] = [];
    const supervisor = new Supervisor({ logger: silentLogger });
    await supervisor.start([spec('source.gps', 'source', journal, made), spec('input.phones', 'input', journal, made), spec('output.mesh', 'output', journal, made)]);
    assert.deepEqual(journal, ['start output.mesh', 'start input.phones', 'start source.gps']);
    assert.deepEqual(supervisor.statuses().map((s) => [s.id, s.state]), [['output.mesh', 'connected'], ['input.phones', 'connected'], ['source.gps', 'connected']]);
    journal.length = 0;
    await supervisor.stopAll(1000);
    assert.deepEqual(journal, ['stop input.phones', 'stop source.gps', 'flushed output.mesh', 'stop output.mesh']);
  });

  it('a component that cannot start stops the others and names itself', async () => {
    const journal: string[] = [];
    const supervisor = new Supervisor({ logger: silentLogger });
    await assert.rejects(
      supervisor.start([spec('output.mesh', 'output', journal, []), spec('input.phones', 'input', journal, [], { failStart: true })]),
      (error: unknown) => error instanceof ComponentStartError && error.id === 'input.phones' && /port in use/.test(error.message),
    );
    assert.deepEqual(journal, ['start output.mesh', 'start input.phones', 'stop input.phones', 'stop output.mesh']);
  });

  it('restarts a failed component with backoff and reports it meanwhile', async () => {
    const journal: string[] = [];
    const made: FakeComponent[] = [];
    const supervisor = new Supervisor({ logger: silentLogger, checkIntervalMs: 10, backoff: { initialMs: 200, jitter: 0 } });
    await supervisor.start([spec('output.server', 'output', journal, made)]);
    (made[0] as FakeComponent).state = 'failed';
    for (let i = 0; i < 100 && !/restarting in/.test(supervisor.statuses()[0]?.detail ?? ''); i += 1) await sleep(10);
    assert.match(supervisor.statuses()[0]?.detail ?? '', /^failed; restarting in \d s$/);
    for (let i = 0; i < 200 && made.length < 2; i += 1) await sleep(10);
    assert.equal(made.length, 2);
    assert.equal(supervisor.statuses()[0]?.state, 'connected');
    assert.deepEqual(journal, ['start output.server', 'stop output.server', 'start output.server']);
    await supervisor.stopAll(0);
  });

  it('apply keeps unchanged components, replaces changed ones, stops removed ones', async () => {
    const journal: string[] = [];
    const made: FakeComponent[] = [];
    const supervisor = new Supervisor({ logger: silentLogger });
    await supervisor.start([spec('output.a', 'output', journal, made), spec('output.b', 'output', journal, made), spec('source.gps', 'source', journal, made)]);
    journal.length = 0;
    const result = await supervisor.apply([spec('output.a', 'output', journal, made), spec('output.b', 'output', journal, made, { fingerprint: 'v2' }), spec('output.c', 'output', journal, made)]);
    assert.deepEqual(result, { kept: ['output.a'], started: ['output.b', 'output.c'], stopped: ['source.gps', 'output.b'] });
    assert.deepEqual(journal, ['stop source.gps', 'stop output.b', 'start output.b', 'start output.c']);
    await supervisor.stopAll(0);
  });

  it('the flush is bounded', async () => {
    const journal: string[] = [];
    const supervisor = new Supervisor({ logger: silentLogger });
    await supervisor.start([spec('output.slow', 'output', journal, [], { flushMs: 5_000 })]);
    await supervisor.stopAll(50);
    assert.deepEqual(journal, ['start output.slow', 'stop output.slow']);
  });
});
