// The configuration file reader: parseIni, then fromIni and mergeLayers (what `config check`
// and `run` do). Each either succeeds or throws ConfigError listing problems; each problem
// quotes a bounded part of the file.
import { parseIni } from '../../../config/ini.js';
import { fromIni } from '../../../config/layers.js';
import { mergeLayers } from '../../../config/loader.js';
import { check, type FuzzTarget } from '../target.js';
import { INI_DICTIONARY } from './dictionaries.js';

export const target: FuzzTarget = {
  name: 'ini',
  sources: ['config/ini', 'config/layers'],
  dictionary: INI_DICTIONARY,
  maxLength: 4096,
  fuzz(data) {
    const text = data.toString('utf8');
    try {
      mergeLayers([fromIni(parseIni(text, 'fuzz.ini'))], 'fuzz.ini');
    } catch (err) {
      check(err instanceof Error && err.name === 'ConfigError', `threw ${err instanceof Error ? err.stack : String(err)}`);
    }
  },
};
