// `takd run` as a child process for cross-module tests: a temporary directory for its
// config file and status.json, its output collected, helpers to wait on status.json (a
// bounded poll, never a timing assertion) and to stop it by signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ComponentStatus } from '../../daemon/lifecycle/component.js';
import type { StatusSnapshot } from '../../daemon/lifecycle/status.js';

export const TAKD_MAIN = fileURLToPath(new URL('../../daemon/main.js', import.meta.url));

/** Polls `check` until it returns a value (not undefined), for at most `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

export class TakdProcess {
  readonly dir = mkdtempSync(join(tmpdir(), 'takd-run-'));
  readonly configFile = join(this.dir, 'takd.ini');
  child: ChildProcess | undefined;
  stdout = '';
  stderr = '';
  exit: Promise<[number | null, NodeJS.Signals | null]> | undefined;

  writeConfig(text: string): void {
    writeFileSync(this.configFile, text, { mode: 0o600 });
  }

  start(args: string[] = ['-c', this.configFile], env: NodeJS.ProcessEnv = {}, command: string[] = [process.execPath, TAKD_MAIN, 'run']): ChildProcess {
    const [program, ...rest] = command as [string, ...string[]];
    const child = spawn(program, [...rest, ...args], {
      // Each daemon keeps its state (durable queues) in the test's own directory, never /var/lib/takd.
      env: { PATH: process.env.PATH, RUNTIME_DIRECTORY: this.dir, STATE_DIRECTORY: this.dir, TAKD_LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (this.stdout += text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (this.stderr += text));
    this.exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    this.child = child;
    return child;
  }

  status(): StatusSnapshot | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, 'status.json'), 'utf8')) as StatusSnapshot;
    } catch {
      return undefined;
    }
  }

  component(id: string): ComponentStatus | undefined {
    return this.status()?.components.find((c) => c.id === id);
  }

  /** Waits until status.json shows `id` in `state`. */
  waitForState(id: string, state: ComponentStatus['state'], timeoutMs = 10_000): Promise<ComponentStatus> {
    return waitFor(`${id} ${state} (stderr: ${this.stderr.slice(-500)})`, () => {
      const component = this.component(id);
      return component?.state === state ? component : undefined;
    }, timeoutMs);
  }

  /** Sends the signal and resolves with the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child === undefined || this.exit === undefined) return null;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const [code] = await this.exit;
    return code;
  }

  async cleanup(): Promise<void> {
    if (this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exit;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A loopback TCP server that records every connection and the CoT events received. */
export class CotSink {
  readonly server: Server;
  readonly sockets = new Set<Socket>();
  connections = 0;
  received = '';

  constructor() {
    this.server = createServer((socket) => {
      this.connections += 1;
      this.sockets.add(socket);
      socket.setEncoding('utf8').on('data', (text: string) => (this.received += text));
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    });
  }

  async listen(port = 0): Promise<number> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as { port: number }).port;
  }

  /** Complete events received, takd's pings (link control: keepalive, delivery proof) left out. */
  events(): number {
    return (this.received.match(/<event\b[^>]*>[\s\S]*?<\/event>/g) ?? []).filter((event) => !/^<event\b[^>]*\btype="t-x-c-t/.test(event)).length;
  }

  /** Stops listening and drops every connection (a server that died). */
  async kill(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Connects to a TCP listener and collects what it sends. */
export async function tcpClient(port: number): Promise<{ socket: Socket; text: () => string }> {
  const socket = createConnection({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  let text = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return { socket, text: () => text };
}
