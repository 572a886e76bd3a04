// Where the addon loader looks: the .deb's directory first, nothing when neither the
// package nor a single binary carries the addon, and a private directory for extraction.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ADDON_NAMES, extractionDirectory, locateAddon } from './addons.js';

describe('native addon locator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-addons-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers the installed directory (TAKD_ADDON_DIR stands in for /usr/lib/takd)', () => {
    writeFileSync(join(dir, 'serialport.node'), 'not really an ELF');
    assert.equal(locateAddon(ADDON_NAMES.serialport, { TAKD_ADDON_DIR: dir }), join(dir, 'serialport.node'));
  });

  it('finds nothing outside the binary when the package does not carry the addon', () => {
    assert.equal(locateAddon(ADDON_NAMES.native, { TAKD_ADDON_DIR: dir }), undefined);
  });

  it('extracts under systemd RuntimeDirectory, else XDG_RUNTIME_DIR, else a per-user temp dir', () => {
    assert.equal(extractionDirectory({ RUNTIME_DIRECTORY: '/run/takd:/run/other' }), '/run/takd/addons');
    assert.equal(extractionDirectory({ XDG_RUNTIME_DIR: '/run/user/1000' }), '/run/user/1000/takd/addons');
    assert.match(extractionDirectory({}), /takd-addons-/);
  });
});
