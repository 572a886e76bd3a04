// The shipped /etc/takd/takd.ini: every key of the schema appears, commented, with its
// default; uncommented it is a file the INI parser reads back with the same keys and values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { parseIni, type IniEntry, type IniSection } from '../../config/ini.js';
import { ALL_SECTIONS } from '../../config/schema.js';
import { formatValue } from '../../config/values.js';
import { defaultIni } from './default-ini.js';

describe('default takd.ini', () => {
  const text = defaultIni();

  it('is all comments: as shipped it sets nothing', () => {
    assert.deepEqual(parseIni(text, 'takd.ini').sections, []);
  });

  it('lists every key of every section, with its default where there is one', () => {
    // Uncommenting the setting lines (";key = …", ";[section]") gives the documented file.
    const uncommented = text.replace(/^;(?=[[a-z])/gm, '');
    const document = parseIni(uncommented, 'takd.ini');
    for (const section of ALL_SECTIONS) {
      const found: IniSection | undefined = document.sections.find((s) => s.name === section.name || s.name.startsWith(`${section.name}.`));
      assert.ok(found, `[${section.name}] present`);
      for (const key of section.keys) {
        const entry: IniEntry | undefined = found.entries.find((e) => e.key === key.key);
        assert.ok(entry, `${section.name}.${key.key} present`);
        if (key.default !== undefined) assert.equal(entry.value, formatValue(key.default), `${section.name}.${key.key} default`);
      }
    }
  });

  it('does not name a version, so an unchanged file lets dpkg keep local edits silently', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    assert.ok(!text.includes(version), `the file does not mention ${version}`);
  });
});
