/**
 * The supervisor: starts components in order (outputs, inputs, sources), restarts any that
 * failed for good with backoff, applies a reloaded configuration keeping what did not change,
 * and stops everything in reverse order with a bounded flush of the outputs.
 */
import type { Logger } from '../log.js';
import { Backoff, type BackoffOptions } from '../../util/backoff.js';
import { START_ORDER, type Component, type ComponentSpec, type ComponentStatus } from './component.js';

interface Running {
  spec: ComponentSpec;
  component: Component;
  backoff: Backoff;
  restartTimer?: NodeJS.Timeout;
  restartAt?: number;
  /** Why the last start() threw, until a start succeeds. */
  startError?: string;
}

export class ComponentStartError extends Error {
  constructor(readonly id: string, readonly reason: unknown) {
    super(`${id}: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'ComponentStartError';
  }
}

export interface SupervisorOptions {
  logger: Logger;
  /** Restart backoff; default 1 s doubling to 60 s. */
  backoff?: BackoffOptions;
  /** How often failed components are looked for; default 1 s. */
  checkIntervalMs?: number;
}

function byStartOrder(a: ComponentSpec, b: ComponentSpec): number {
  return START_ORDER.indexOf(a.kind) - START_ORDER.indexOf(b.kind);
}

export class Supervisor {
  private readonly running = new Map<string, Running>();
  private readonly logger: Logger;
  private checkTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    this.logger = options.logger.child({ component: 'supervisor' });
  }

  /** Starts every component; if one cannot start, stops those already started and throws ComponentStartError. */
  async start(specs: readonly ComponentSpec[]): Promise<void> {
    for (const spec of [...specs].sort(byStartOrder)) {
      try {
        await this.launch(spec);
      } catch (error) {
        await this.stopAll(0);
        throw new ComponentStartError(spec.id, error);
      }
    }
    this.checkTimer = setInterval(() => this.restartFailed(), this.options.checkIntervalMs ?? 1000);
    this.checkTimer.unref();
  }

  /**
   * A reloaded configuration: components whose fingerprint is unchanged keep running (and
   * their connections); changed ones are replaced, removed ones stopped, new ones started.
   * A new component that cannot start is reported and retried like a failed one.
   */
  async apply(specs: readonly ComponentSpec[]): Promise<{ kept: string[]; started: string[]; stopped: string[] }> {
    const wanted = new Map(specs.map((s) => [s.id, s]));
    const result = { kept: [] as string[], started: [] as string[], stopped: [] as string[] };
    for (const [id, entry] of [...this.running].reverse()) {
      const next = wanted.get(id);
      if (next !== undefined && next.fingerprint === entry.spec.fingerprint) {
        result.kept.push(id);
        continue;
      }
      await this.retire(entry);
      result.stopped.push(id);
    }
    for (const spec of [...specs].sort(byStartOrder)) {
      if (this.running.has(spec.id)) continue;
      try {
        await this.launch(spec);
      } catch (error) {
        this.logger.error({ id: spec.id, error: errorText(error) }, 'cannot start; will retry');
      }
      result.started.push(spec.id);
    }
    return result;
  }

  statuses(): ComponentStatus[] {
    return [...this.running.values()].map((entry) => {
      const own = entry.component.status();
      const status: ComponentStatus = entry.startError === undefined ? own : { ...own, state: 'failed', detail: `cannot start: ${entry.startError}`, lastError: entry.startError };
      if (entry.restartAt === undefined) return status;
      const seconds = Math.max(0, Math.ceil((entry.restartAt - Date.now()) / 1000));
      return { ...status, state: 'failed', detail: `${status.detail}; restarting in ${seconds} s` };
    });
  }

  component(id: string): Component | undefined {
    return this.running.get(id)?.component;
  }

  /** Stops sources and inputs, flushes outputs for at most `flushTimeoutMs`, then stops outputs. */
  async stopAll(flushTimeoutMs: number): Promise<void> {
    this.stopping = true;
    if (this.checkTimer !== undefined) clearInterval(this.checkTimer);
    const entries = [...this.running.values()];
    const intake = entries.filter((e) => e.spec.kind !== 'output');
    const outputs = entries.filter((e) => e.spec.kind === 'output');
    await Promise.allSettled(intake.map((e) => this.retire(e)));
    if (flushTimeoutMs > 0 && outputs.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), flushTimeoutMs)));
      const flushed = Promise.allSettled(outputs.map((e) => e.component.flush?.())).then(() => 'flushed' as const);
      const outcome = await Promise.race([flushed, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') this.logger.warn({ timeoutMs: flushTimeoutMs }, 'outputs not flushed in time; closing anyway');
    }
    await Promise.allSettled(outputs.map((e) => this.retire(e)));
  }

  private async launch(spec: ComponentSpec, backoff?: Backoff): Promise<void> {
    const component = spec.create();
    const entry: Running = { spec, component, backoff: backoff ?? new Backoff({ initialMs: 1000, maxMs: 60_000, ...this.options.backoff }) };
    this.running.set(spec.id, entry);
    try {
      await component.start();
    } catch (error) {
      entry.startError = errorText(error);
      throw error;
    }
    this.logger.info({ id: spec.id }, 'started');
  }

  private async retire(entry: Running): Promise<void> {
    if (entry.restartTimer !== undefined) clearTimeout(entry.restartTimer);
    this.running.delete(entry.spec.id);
    try {
      await entry.component.stop();
    } catch (error) {
      this.logger.warn({ id: entry.spec.id, error: errorText(error) }, 'error while stopping');
    }
  }

  private restartFailed(): void {
    if (this.stopping) return;
    for (const entry of this.running.values()) {
      if (entry.restartAt !== undefined || (entry.startError === undefined && entry.component.status().state !== 'failed')) continue;
      const delay = entry.backoff.next();
      entry.restartAt = Date.now() + delay;
      this.logger.warn({ id: entry.spec.id, detail: entry.component.status().detail, delayMs: delay }, 'failed; restarting');
      entry.restartTimer = setTimeout(() => void this.restart(entry), delay);
    }
  }

  private async restart(entry: Running): Promise<void> {
    if (this.stopping || this.running.get(entry.spec.id) !== entry) return;
    await this.retire(entry);
    try {
      await this.launch(entry.spec, entry.backoff);
    } catch (error) {
      this.logger.warn({ id: entry.spec.id, error: errorText(error) }, 'restart failed');
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
