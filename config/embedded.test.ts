import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedDefault, fileSetsNothing, type EmbeddedProbes } from './embedded.js';
import { loadConfig } from './loader.js';

const noGps: EmbeddedProbes = { gpsdAnswers: async () => false, serialGps: async () => undefined };
const gpsd: EmbeddedProbes = { gpsdAnswers: async () => true, serialGps: async () => undefined };

function withFile(text: string, run: (file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'takd-embedded-'));
  const file = join(dir, 'takd.ini');
  writeFileSync(file, text);
  return run(file).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('no file: Mesh SA output and gpsd when it answers, each with its reason', async () => {
  const { config } = loadConfig({ args: [], env: {}, defaultFile: '/nonexistent/takd.ini' });
  assert.equal(fileSetsNothing(config), true);
  const choice = await embeddedDefault(config, gpsd);
  assert.deepEqual(
    choice.settings.map((s) => `${s.section}.${s.key}=${s.text}`),
    ['output.mesh.url=udp://239.2.3.1:6969', 'output.mesh.ttl=1', 'source.gps.driver=gpsd'],
  );
  assert.match(choice.reasons[0], /no configuration file/);
});

test("a file of comments only (the .deb's takd.ini) counts as no configuration", () =>
  withFile('; every key, commented\n[takd]\n; callsign = ALPHA-1\n', async (file) => {
    const { config } = loadConfig({ args: ['-c', file], env: {} });
    assert.equal(fileSetsNothing(config), true);
    const choice = await embeddedDefault(config, noGps);
    assert.equal(choice.settings[0]?.text, 'udp://239.2.3.1:6969');
    assert.match(choice.reasons[0], /sets nothing/);
    assert.match(choice.reasons[1], /no GPS/);
  }));

test('a file that sets anything is taken as it is: no embedded choices', () =>
  withFile('[takd]\ncallsign = ALPHA-1\n', async (file) => {
    const { config } = loadConfig({ args: ['-c', file], env: {} });
    assert.equal(fileSetsNothing(config), false);
    assert.deepEqual((await embeddedDefault(config, gpsd)).settings, []);
  }));
