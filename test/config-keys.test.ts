// Every key of the schema, set through the INI file, the environment and a flag, comes out
// with the right value and origin.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ALL_SECTIONS, transportName } from '../config/schema.js';
import { userTransportKinds } from '../daemon/transports/table.js';
import { load, requiredLines, sampleFor, TempDir } from './support/config-fixtures.js';

const dir = new TempDir();
after(() => dir.remove());

for (const section of ALL_SECTIONS) {
  const id = section.named ? `${section.name}.test` : section.name;
  for (const key of section.keys) {
    // PyTAK keys are folded into other sections, so they are checked through the [pytak] values.
    const sample = sampleFor(key);
    // A driver's own key is set in a section of a driver that takes it (other drivers refuse it).
    const driver = key.drivers === undefined ? {} : { driver: key.drivers[0] };
    // A transport's own key likewise, in a section whose URL is a transport that takes it.
    const transport = key.transports === undefined ? {} : { url: userTransportKinds().find((row) => transportName(row) === key.transports?.[0])?.example };
    const required = Object.entries({ ...requiredLines(section.name), ...driver, ...transport }).filter(([k]) => k !== key.key);
    describe(`[${id}] ${key.key}`, () => {
      it('through INI', () => {
        const written = section.name === 'pytak' ? (key.pytak as string) : key.key;
        const lines = [`[${id}]`, ...required.map(([k, v]) => `${k} = ${v}`), `${written} = ${sample.text}`];
        const file = dir.file(`${section.name}-${key.key}.ini`, `${lines.join('\n')}\n`);
        const setting = load(['-c', file]).sections.get(id)?.get(key.key);
        assert.deepEqual(setting?.value, sample.value);
        assert.equal(setting?.origin.layer, 'ini');
        assert.equal(setting?.origin.layer === 'ini' && setting.origin.line, lines.length);
      });
      it('through the environment', () => {
        const env: NodeJS.ProcessEnv = {};
        const variable = (k: string): string =>
          section.name === 'pytak' ? (key.pytak as string) : `TAKD_${section.named ? `${section.name}_test` : section.name}_${k}`.toUpperCase();
        for (const [k, v] of required) env[`TAKD_${section.name}_test_${k}`.toUpperCase()] = v;
        env[variable(key.key)] = sample.text;
        const setting = load([], env).sections.get(id)?.get(key.key);
        assert.deepEqual(setting?.value, sample.value);
        assert.deepEqual(setting?.origin, { layer: 'env', name: variable(key.key) });
      });
      it('through a flag', () => {
        const args = required.flatMap(([k, v]) => ['--set', `${id}.${k}=${v}`]);
        const flag = key.flag ?? `--set ${id}.${key.key}`;
        args.push(...(key.flag ? [key.flag, sample.text] : ['--set', `${id}.${key.key}=${sample.text}`]));
        const setting = load(args).sections.get(id)?.get(key.key);
        assert.deepEqual(setting?.value, sample.value);
        assert.deepEqual(setting?.origin, { layer: 'flag', flag });
      });
    });
  }
}

describe('defaults', () => {
  it('every single section exists with its constant defaults and their origin', () => {
    const config = load();
    for (const section of ALL_SECTIONS.filter((s) => !s.named)) {
      for (const key of section.keys.filter((k) => k.default !== undefined)) {
        const setting = config.sections.get(section.name)?.get(key.key);
        assert.deepEqual(setting, { value: key.default, origin: { layer: 'default' } }, `${section.name}.${key.key}`);
      }
    }
  });
  it('a gpsd source gets the local gpsd link by default', () => {
    const config = load(['--set', 'source.gps.driver=gpsd']);
    assert.equal(config.sections.get('source.gps')?.get('link')?.value, 'tcp://127.0.0.1:2947');
  });
  it('[takd] keys work in the environment without the section too', () => {
    const config = load([], { TAKD_CALLSIGN: 'ECHO-5', TAKD_TAKD_TEAM: 'Red' });
    assert.equal(config.sections.get('takd')?.get('callsign')?.value, 'ECHO-5');
    assert.equal(config.sections.get('takd')?.get('team')?.value, 'Red');
  });
  it('key = value and key: value, any case, inline comments', () => {
    const file = dir.file('dialect.ini', '# comment\n[LOG]\nLevel: debug ; why\n; another\n[takd]\ncallsign=X-1 # inline\n');
    const config = load(['-c', file]);
    assert.equal(config.sections.get('log')?.get('level')?.value, 'debug');
    assert.equal(config.sections.get('takd')?.get('callsign')?.value, 'X-1');
  });
});
