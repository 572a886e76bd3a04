// taky (../shared/peers/taky) as a plain-TCP TAK server on a free loopback port, for tests.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './gpsfake.js';
import { PEERS_DIR, PYTHON } from './pytak-peer.js';
import { waitUntil } from './wait.js';

export interface TakyServer {
  port: number;
  stop(): Promise<void>;
}

export async function startTaky(): Promise<TakyServer> {
  const dir = mkdtempSync(join(tmpdir(), 'taky-'));
  const site = join(dir, 'site'); // takyctl setup makes the site folder itself
  const env = { PATH: process.env.PATH, PYTHONPATH: join(PEERS_DIR, 'taky') };
  const setup = spawn(PYTHON, ['-m', 'taky.cli', 'setup', '--no-ssl', '--host', '127.0.0.1', '--bind-ip', '127.0.0.1', '--public-ip', '127.0.0.1', site], { env, stdio: 'ignore' });
  const [code] = (await once(setup, 'exit')) as [number | null];
  assert.equal(code, 0, 'taky setup');
  const port = await freePort();
  const conf = join(site, 'taky.conf');
  writeFileSync(conf, readFileSync(conf, 'utf8').replace(/^port = \d+$/m, `port = ${port}`));
  const taky: ChildProcess = spawn(PYTHON, ['-m', 'taky.cot', '-c', conf], { env, cwd: site, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  taky.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const stop = async (): Promise<void> => {
    if (taky.exitCode === null && taky.signalCode === null) {
      taky.kill('SIGTERM');
      await once(taky, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  let accepting = false;
  try {
    await waitUntil(() => {
      if (taky.exitCode !== null) throw new Error(`taky exited: ${stderr.slice(-500)}`);
      const probe = createConnection({ host: '127.0.0.1', port });
      probe.on('connect', () => {
        accepting = true;
        probe.destroy();
      });
      probe.on('error', () => undefined);
      return accepting;
    }, 'taky listening');
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
}
