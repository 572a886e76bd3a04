// A real Debian mosquitto on a loopback port for the mqtt:// tests, with a config file
// written at test time (plain, TLS, password file, persistence), plus mosquitto_sub and
// mosquitto_pub as independent peers. Probe first: mosquittoUnavailableReason().
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const TOOLS = ['mosquitto', 'mosquitto_sub', 'mosquitto_pub', 'mosquitto_passwd'];

/** Why these tests cannot run here, or undefined when they can. */
export function mosquittoUnavailableReason(): string | undefined {
  const missing = TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0);
  return missing.length === 0 ? undefined : `needs ${missing.join(', ')} (apt install mosquitto mosquitto-clients)`;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface BrokerOptions {
  tls?: { ca: string; cert: string; key: string; requireClientCert?: boolean };
  /** user → password, written with mosquitto_passwd; anonymous clients are then refused. */
  users?: Record<string, string>;
  /** Keep sessions and queued messages across a restart (persistence on, in the broker's directory). */
  persistent?: boolean;
  /** More mosquitto.conf lines. */
  extra?: string[];
}

export class Mosquitto {
  readonly dir = mkdtempSync(join(tmpdir(), 'takd-mosquitto-'));
  readonly configFile = join(this.dir, 'mosquitto.conf');
  port = 0;
  log = '';
  private child: ChildProcess | undefined;
  private exit: Promise<unknown> | undefined;

  constructor(private readonly options: BrokerOptions = {}) {}

  async start(port?: number): Promise<number> {
    this.port = port ?? this.port ?? 0;
    if (this.port === 0) this.port = await freePort();
    const lines = [`listener ${this.port} 127.0.0.1`, `user ${userInfo().username}`, 'log_dest stderr', 'log_type error', 'log_type warning'];
    const { tls, users, persistent } = this.options;
    if (tls) lines.push(`cafile ${tls.ca}`, `certfile ${tls.cert}`, `keyfile ${tls.key}`, `require_certificate ${tls.requireClientCert ? 'true' : 'false'}`);
    if (users) {
      const passwords = join(this.dir, 'passwd');
      writeFileSync(passwords, '', { mode: 0o600 });
      for (const [user, password] of Object.entries(users)) {
        const made = spawnSync('mosquitto_passwd', ['-b', passwords, user, password], { encoding: 'utf8' });
        if (made.status !== 0) throw new Error(`mosquitto_passwd: ${made.stderr}`);
      }
      lines.push(`password_file ${passwords}`, 'allow_anonymous false');
    } else {
      lines.push('allow_anonymous true');
    }
    if (persistent) lines.push('persistence true', `persistence_location ${this.dir}/`, 'autosave_interval 1');
    lines.push(...(this.options.extra ?? []));
    writeFileSync(this.configFile, `${lines.join('\n')}\n`);
    const child = spawn('mosquitto', ['-c', this.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (this.log += text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (this.log += text));
    this.exit = once(child, 'exit');
    this.child = child;
    await this.waitListening();
    return this.port;
  }

  /** Stops the broker (SIGTERM: a persistent one saves its sessions) and waits for its exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await this.exit;
  }

  async cleanup(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitListening(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const socket = createConnection({ host: '127.0.0.1', port: this.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      if (ok) return;
      if (this.child?.exitCode !== null) throw new Error(`mosquitto exited: ${this.log}`);
      if (Date.now() > deadline) throw new Error(`mosquitto not listening on ${this.port}: ${this.log}`);
      await sleep(50);
    }
  }

  pid(): number | undefined {
    return this.child?.pid;
  }

  /** Connection arguments for mosquitto_sub / mosquitto_pub. */
  clientArgs(extra: { user?: string; password?: string } = {}): string[] {
    const args = ['-h', '127.0.0.1', '-p', String(this.port)];
    if (this.options.tls) args.push('--cafile', this.options.tls.ca);
    if (extra.user !== undefined) args.push('-u', extra.user);
    if (extra.password !== undefined) args.push('-P', extra.password);
    return args;
  }
}

/** mosquitto_sub -v on `topic`: collects "topic payload" lines. */
export class MosquittoSub {
  readonly child: ChildProcess;
  output = '';
  constructor(broker: Mosquitto, topic: string, extra: string[] = []) {
    this.child = spawn('mosquitto_sub', [...broker.clientArgs(), '-v', '-q', '1', '-t', topic, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => (this.output += text));
  }
  lines(): string[] {
    return this.output.split('\n').filter((line) => line !== '');
  }
  stop(): void {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}

/** mosquitto_pub one message; resolves with its exit status. */
export async function mosquittoPub(broker: Mosquitto, topic: string, message: string, extra: string[] = []): Promise<number | null> {
  const child = spawn('mosquitto_pub', [...broker.clientArgs(), '-q', '1', '-t', topic, '-m', message, ...extra], { stdio: 'ignore' });
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}
