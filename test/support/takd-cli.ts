// `takd ARGS` as a user runs it: a child process of the built daemon with stdin given,
// its exit status and both outputs; killed after 30 s so a hang fails the test, not the run.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const TAKD_MAIN = fileURLToPath(new URL('../../daemon/main.js', import.meta.url));

export interface TakdRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runTakd(args: string[], stdin = '', env: NodeJS.ProcessEnv = {}): Promise<TakdRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TAKD_MAIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (status) => {
      clearTimeout(guard);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}
