// The prebuild script makes loadable x64 builds and, where Debian's cross compilers are
// installed, ARM builds for the right machine (checked in the ELF header).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { commandAvailable } from '../test/support/netns.js';
import { ADDON_DIR } from './index.js';

const out = mkdtempSync(join(tmpdir(), 'takd-prebuilds-'));
after(() => rmSync(out, { recursive: true, force: true }));

/** ELF e_machine: 62 x86-64, 183 AArch64, 40 ARM. */
function elfMachine(path: string): number {
  const header = readFileSync(path);
  assert.equal(header.subarray(0, 4).toString('latin1'), '\x7fELF');
  return header.readUInt16LE(18);
}

const targets = [
  { name: 'x64', compiler: 'gcc', file: 'linux-x64/node.napi.node', machine: 62, native: arch() === 'x64' },
  { name: 'arm64', compiler: 'aarch64-linux-gnu-gcc', file: 'linux-arm64/node.napi.node', machine: 183, native: arch() === 'arm64' },
  { name: 'armv7', compiler: 'arm-linux-gnueabihf-gcc', file: 'linux-arm/node.napi.armv7.node', machine: 40, native: arch() === 'arm' },
];

describe('native/prebuild.sh', () => {
  for (const target of targets) {
    it(target.name, { skip: commandAvailable(target.compiler) ? undefined : `${target.compiler} not installed` }, () => {
      const result = spawnSync('bash', [join(ADDON_DIR, 'prebuild.sh'), target.name], { encoding: 'utf8', env: { ...process.env, PREBUILDS_DIR: out } });
      assert.equal(result.status, 0, result.stderr);
      const path = join(out, target.file);
      assert.equal(elfMachine(path), target.machine);
      if (target.native) {
        const addon = { exports: {} as { notify?: unknown; trimMalloc?: () => number } };
        process.dlopen(addon, path);
        assert.equal(typeof addon.exports.notify, 'function');
        assert.ok([0, 1].includes(addon.exports.trimMalloc?.() ?? NaN), 'malloc_trim answers (glibc)');
      }
    });
  }
});
