/**
 * PyTAK's environment keys for one transport URL, for `takd send` and `takd listen`: read
 * through the same schema, parsers and PyTAK mapping (pytak.ts) as the daemon's
 * configuration, as if the URL were the only output. Only PyTAK's own names are read
 * (TAK_PROTO, PYTAK_*, MAX_OUT_QUEUE, FTS_COMPAT, …); COT_URL is the caller's to use.
 */
import { fromEnv, type LayerResult } from './layers.js';
import { mergeLayers } from './loader.js';
import { sectionSpec, type SectionSpec } from './schema.js';
import { viewConfig, type OutputConfig } from './view.js';

const PYTAK_NAMES = new Set((sectionSpec('pytak') as SectionSpec).keys.map((k) => k.pytak as string));
/** The section the URL is given as; not a name a config file can collide with here. */
const SECTION = 'output.cli';

/** Throws ConfigError naming the environment variable of each bad value. */
export function pytakOutput(url: string, env: NodeJS.ProcessEnv): OutputConfig {
  const pytakEnv = Object.fromEntries(Object.entries(env).filter(([name]) => PYTAK_NAMES.has(name) && name !== 'COT_URL'));
  const urlLayer: LayerResult = {
    settings: [{ section: SECTION, key: 'url', text: url, origin: { layer: 'flag', flag: 'URL' } }],
    sectionOrigins: new Map([[SECTION, { layer: 'flag', flag: 'URL' }]]),
    problems: [],
    warnings: [],
  };
  const [output] = viewConfig(mergeLayers([fromEnv(pytakEnv), urlLayer], undefined)).outputs;
  return output as OutputConfig;
}
