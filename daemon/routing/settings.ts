/**
 * Where routing keeps its state on disk. (The routing keys' values and their parsers are
 * config/routing-values.ts.)
 */
import { join } from 'node:path';

/** `$STATE_DIRECTORY` (set by systemd's StateDirectory=), else /var/lib/takd. */
export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  // systemd may pass several directories separated by ':'; the first is ours.
  return env.STATE_DIRECTORY?.split(':')[0] || '/var/lib/takd';
}

/** One durable queue directory per output. Output names are config section names ([a-z0-9_-]). */
export function queueDirectory(stateDir: string, outputName: string): string {
  // '.' and '..' would leave the queue directory: escape them like any other separator.
  return join(stateDir, 'queue', encodeURIComponent(outputName).replace(/^\.+$/, (dots) => '%2E'.repeat(dots.length)));
}
