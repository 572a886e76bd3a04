// gpsfake (Debian's gpsd-clients) serving a capture through a real gpsd on loopback.
// Per the corpus README: started in its own process group (it does not exit on SIGTERM and
// leaves gpsd behind), stopped by SIGKILL to the whole group; -c paces the sentences so
// that a watching client sees TPVs; a port of our choosing, never gpsd's 2947.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/** Why gpsfake cannot serve a capture here, or undefined when it can. */
export function gpsfakeUnavailableReason(): string | undefined {
  const help = spawnSync('gpsfake', ['-h'], { encoding: 'utf8' });
  if (help.error !== undefined) return 'gpsfake is not installed (apt install gpsd-clients)';
  // gpsfake is Python: without its gps module it fails before printing its usage.
  if (help.status !== 0) return `gpsfake does not run: ${(help.stderr.trim().split('\n').at(-1) ?? '').slice(0, 120)}`;
  if (spawnSync('sh', ['-c', 'command -v gpsd'], { stdio: 'ignore' }).status !== 0) return 'gpsd is not installed (apt install gpsd)';
  return undefined;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export class Gpsfake {
  private child: ChildProcess | undefined;
  output = '';

  constructor(readonly capture: string, readonly port: number, readonly cycleSeconds = 0.1) {}

  async start(): Promise<void> {
    const child = spawn('gpsfake', ['-n', '-c', String(this.cycleSeconds), '-P', String(this.port), this.capture], {
      detached: true, // setsid: gpsfake and its gpsd in a process group of their own
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    for (let i = 0; i < 150; i++) {
      if (await accepting(this.port)) return;
      if (child.exitCode !== null) break;
      await sleep(100);
    }
    await this.stop();
    throw new Error(`gpsfake did not start gpsd on port ${this.port}: ${this.output.slice(0, 500)}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child?.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
}
