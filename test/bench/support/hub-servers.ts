// The two servers of the hub-vs-taky scenario, each in a process of its own on loopback:
// takd with only a tcp+listen hub listener (an explicit config, so the embedded Mesh SA
// default never applies, and nothing else is configured), and taky's CoT router (plain TCP)
// in a site made by its own setup tool. Memory and CPU of either from /proc.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HubCounters } from '../../../daemon/hub/hub.js';
import type { ProcessGauges } from '../../../daemon/lifecycle/process-gauges.js';
import { NODE_V8_FLAGS } from '../../../packaging/runtime/node-flags.js';
import { TAKD_MAIN, TakdProcess } from '../../support/daemon-process.js';
import { freePort } from '../../support/gpsfake.js';
import { PEERS_DIR, PYTHON } from '../../support/pytak-peer.js';
import { daemonCommand, type DaemonCommand } from './soak.js';

export interface BenchServer {
  name: 'takd' | 'taky';
  port: number;
  pid: number;
  /** takd only: the hub's counters from status.json (drops, coalesced, clients closed). */
  hubCounters(): HubCounters | undefined;
  /** takd only: its own memory gauges from status.json (heap used and total, external). */
  gauges(): ProcessGauges | undefined;
  stop(): Promise<void>;
}

/** KiB from /proc/PID/status. */
export function memoryKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
}

/** CPU time (user + system, every thread) a process has used so far, in ms (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function accepting(port: number): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    const ok = await new Promise<boolean>((resolve) => {
      const probe = createConnection({ host: '127.0.0.1', port });
      probe.on('connect', () => {
        probe.destroy();
        resolve(true);
      });
      probe.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listening on 127.0.0.1:${port}`);
}

/**
 * Which takd: TAKD_HUB_BENCH_DAEMON=node runs the tsc output under this node with the
 * binary's V8 flags (no binary build, for a smoke run); a path runs that binary; unset: the
 * single binary built from this tree (or taken from the build cache), else the tsc output.
 */
export async function takdCommand(): Promise<DaemonCommand> {
  const choice = process.env.TAKD_HUB_BENCH_DAEMON;
  if (choice === 'node') return { command: [process.execPath, ...NODE_V8_FLAGS, TAKD_MAIN, 'run'], label: `the tsc output on node ${process.version} with the binary's V8 flags` };
  return daemonCommand(choice);
}

export async function startTakd(command: DaemonCommand): Promise<BenchServer> {
  const takd = new TakdProcess();
  const port = await freePort();
  // Only the hub listener: no [source.*] or other output, so nothing leaves loopback. The
  // generator's clients are quiet between phases: first-event and idle deadlines off.
  takd.writeConfig(
    [
      '[takd]',
      'callsign = HUBBENCH',
      'uid = takd-hub-bench',
      '[pli]',
      'enabled = no',
      '[log]',
      'level = warn',
      '[output.phones]',
      `url = tcp+listen://127.0.0.1:${port}`,
      'hello = no',
      'pli = no',
      'max_clients = 2000',
      'max_clients_per_address = 2000',
      'first_event_timeout = 0',
      'idle_timeout = 0',
      '',
    ].join('\n'),
  );
  const child = takd.start(['-c', takd.configFile], {}, command.command);
  await accepting(port);
  return {
    name: 'takd',
    port,
    pid: child.pid ?? 0,
    hubCounters: () => takd.status()?.hub?.counters,
    gauges: () => takd.status()?.process,
    stop: async () => {
      await takd.stop();
      await takd.cleanup();
    },
  };
}

export async function startTaky(): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'taky-bench-'));
  const site = join(dir, 'site');
  const env = { PATH: process.env.PATH, PYTHONPATH: join(PEERS_DIR, 'taky') };
  const setup = spawnSync(PYTHON, ['-m', 'taky.cli', 'setup', '--no-ssl', '--host', '127.0.0.1', '--bind-ip', '127.0.0.1', '--public-ip', '127.0.0.1', site], { env, encoding: 'utf8' });
  if (setup.status !== 0) throw new Error(`taky setup failed: ${setup.stderr.slice(-300)}`);
  const port = await freePort();
  const conf = join(site, 'taky.conf');
  writeFileSync(conf, readFileSync(conf, 'utf8').replace(/^port = \d+$/m, `port = ${port}`));
  const child: ChildProcess = spawn(PYTHON, ['-m', 'taky.cot', '-c', conf], { env, cwd: site, stdio: 'ignore' });
  try {
    await accepting(port);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    name: 'taky',
    port,
    pid: child.pid ?? 0,
    hubCounters: () => undefined,
    gauges: () => undefined,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        // taky finishes its select() round (≤ 1 s) first; do not wait for ever.
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
