// Start-up and memory of a command as a whole process, for the start-up benchmark: wall time
// to exit, time to the first CoT event on stdout, resident memory once idle.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Wall-clock milliseconds for the command to run to completion (exit status checked). */
export function timeToExit(argv: string[]): number {
  const [program, ...args] = argv;
  const started = process.hrtime.bigint();
  const result = spawnSync(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
  return ms;
}

/** Milliseconds from spawn to the first complete CoT event on the process's stdout. */
export async function timeToFirstEvent(argv: string[], env: NodeJS.ProcessEnv, limitMs = 30_000): Promise<number> {
  const [program, ...args] = argv;
  const started = process.hrtime.bigint();
  const child = spawn(program, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no event within ${limitMs} ms: ${stderr.slice(-400)}`)), limitMs);
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        stdout += text;
        if (stdout.includes('</event>')) {
          clearTimeout(timer);
          resolve(Number(process.hrtime.bigint() - started) / 1e6);
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code} before an event: ${stderr.slice(-400)}`)));
    });
  } finally {
    child.kill('SIGKILL');
  }
}

export interface Resident {
  /** VmRSS, MiB. */
  total: number;
  /** RssAnon, MiB: heap and stacks; the rest is file-backed (the executable's own pages). */
  anonymous: number;
}

function resident(pid: number): Resident {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`no ${name} for ${pid}`);
    return Number(match[1]) / 1024;
  };
  return { total: field('VmRSS'), anonymous: field('RssAnon') };
}

/**
 * Resident memory of a long-running command once it is idle: `ready` says when it has
 * started; then it is left alone for `settleMs` (timers, GC) before /proc is read.
 */
export async function idleResident(argv: string[], env: NodeJS.ProcessEnv, ready: () => boolean, settleMs = 2_000): Promise<Resident> {
  const [program, ...args] = argv;
  const child = spawn(program, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'ignore'] });
  try {
    const deadline = Date.now() + 30_000;
    while (!ready()) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${argv.join(' ')} did not become ready`);
      await sleep(50);
    }
    await sleep(settleMs);
    return resident(child.pid as number);
  } finally {
    child.kill('SIGKILL');
  }
}
