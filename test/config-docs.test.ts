// docs/configuration.md is what the schema prints, and every example config passes
// `takd config check` (syntax, keys and values; the files they name are on the target box).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { configurationMarkdown } from '../config/docs.js';
import { ALL_SECTIONS } from '../config/schema.js';
import { repoRoot } from './support/paths.js';

const takd = fileURLToPath(new URL('../daemon/main.js', import.meta.url));
const examplesDir = join(repoRoot, 'config/examples');

describe('docs/configuration.md', () => {
  it('matches the schema (regenerate: takd config docs > docs/configuration.md)', () => {
    assert.equal(readFileSync(join(repoRoot, 'docs/configuration.md'), 'utf8'), configurationMarkdown());
  });
  it('documents every key with its PyTAK equivalent', () => {
    const markdown = configurationMarkdown();
    for (const section of ALL_SECTIONS) {
      for (const key of section.keys) {
        assert.ok(markdown.includes(`| \`${key.key}\` |`), `${section.name}.${key.key}`);
        if (key.pytak !== undefined) assert.ok(markdown.includes(`\`${key.pytak}\``), key.pytak);
      }
    }
  });
});

describe('config/examples', () => {
  const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.ini'));
  it('there are examples for the common deployments', () => {
    for (const name of ['pi-usb-gps-mesh.ini', 'vehicle-gateway-tls.ini', 'ais-aprs-station.ini', 'demo.ini']) assert.ok(examples.includes(name), name);
  });
  for (const example of examples) {
    it(`${example} passes takd config check`, () => {
      const result = spawnSync(process.execPath, [takd, 'config', 'check', '-c', join(examplesDir, example)], { encoding: 'utf8', env: { PATH: process.env.PATH } });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^ok: .* \(\d+ sources, \d+ inputs, \d+ outputs\)\n$/);
    });
  }
});
