// Scenario: how exposed takd.service is, as `systemd-analyze security` scores it offline
// (0 = locked down, 10 = fully exposed), with the settings it still marks as open. The unit
// is checked in a temporary root holding the unit, a stand-in /usr/bin/takd and the host's
// targets, so no installed package is needed.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';
import { table } from './support/measure.js';

const SYSTEM_UNITS = '/lib/systemd/system';

function unitRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'takd-unit-'));
  const units = join(root, 'lib/systemd/system');
  mkdirSync(units, { recursive: true });
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  writeFileSync(join(root, 'usr/bin/takd'), '#!/bin/sh\n', { mode: 0o755 });
  copyFileSync(join(repoRoot, 'packaging/systemd/takd.service'), join(units, 'takd.service'));
  for (const file of readdirSync(SYSTEM_UNITS).filter((f) => f.endsWith('.target'))) copyFileSync(join(SYSTEM_UNITS, file), join(units, file));
  return root;
}

export default async function (): Promise<string> {
  const root = unitRoot();
  try {
    const verify = spawnSync('systemd-analyze', ['verify', `--root=${root}`, '/lib/systemd/system/takd.service'], { encoding: 'utf8' });
    const security = spawnSync('systemd-analyze', ['security', '--offline=true', `--root=${root}`, '--no-pager', 'takd.service'], { encoding: 'utf8' });
    if (security.status === null || security.error) throw new Error(`systemd-analyze not available: ${security.error?.message ?? security.stderr}`);
    const exposure = /Overall exposure level for takd\.service: ([\d.]+) (\w+)/.exec(security.stdout);
    const open = security.stdout
      .split('\n')
      .filter((line) => line.startsWith('✗'))
      .map((line) => {
        const [setting, ...rest] = line.slice(1).trim().split(/\s{2,}/);
        const weight = rest.at(-1) ?? '';
        return [`\`${setting}\``, rest.slice(0, -1).join(' '), weight].map((cell) => cell.replaceAll('|', '\\|'));
      });
    return [
      '## systemd unit hardening (takd.service)',
      '',
      `\`systemd-analyze verify\`: ${verify.status === 0 ? 'passes' : `fails: ${verify.stderr.trim()}`}. ` +
        `\`systemd-analyze security\` (offline) overall exposure: **${exposure?.[1] ?? '?'} ${exposure?.[2] ?? ''}** (0 = locked down, 10 = fully exposed).`,
      'What it still marks as open, and its weight; most are deliberate (serial devices, V8 JIT, the network is the point — see the comment in the unit):',
      '',
      table(['setting', 'systemd says', 'weight'], open),
      '',
    ].join('\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
