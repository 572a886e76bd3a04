/**
 * PyTAK's environment keys for one transport URL, for `takd send` and `takd listen`: read
 * through the same schema, parsers and PyTAK mapping (pytak.ts) as the daemon's
 * configuration, as if the URL were the only output. Only the PyTAK names that set an
 * output are read (TAK_PROTO, PYTAK_TLS_*, PYTAK_MULTICAST_*, MAX_OUT_QUEUE, PYTAK_SLEEP,
 * FTS_COMPAT, PYTAK_NO_HELLO); COT_URL is the caller's to use.
 */
import { fromEnv, type LayerResult } from './layers.js';
import { mergeLayers } from './loader.js';
import { PYTAK_STANDALONE, sectionSpec, type SectionSpec } from './schema.js';
import { viewConfig, type OutputConfig } from './view.js';

/** The PyTAK keys that set an output (TAK_PROTO, PYTAK_TLS_*, …): not COT_URL, COT_STALE, DEBUG. */
const OUTPUT_PYTAK_NAMES = new Set([
  ...(sectionSpec('output') as SectionSpec).keys.flatMap((k) => (k.pytak === undefined ? [] : [k.pytak])),
  ...PYTAK_STANDALONE.filter((k) => k.target.startsWith('output.*.')).map((k) => k.pytak),
]);
/** The section the URL is given as; not a name a config file can collide with here. */
const SECTION = 'output.cli';

/** Throws ConfigError naming the environment variable of each bad value. */
export function pytakOutput(url: string, env: NodeJS.ProcessEnv): OutputConfig {
  const pytakEnv = Object.fromEntries(Object.entries(env).filter(([name]) => OUTPUT_PYTAK_NAMES.has(name)));
  const urlLayer: LayerResult = {
    settings: [{ section: SECTION, key: 'url', text: url, origin: { layer: 'flag', flag: 'URL' } }],
    sectionOrigins: new Map([[SECTION, { layer: 'flag', flag: 'URL' }]]),
    problems: [],
    warnings: [],
  };
  const [output] = viewConfig(mergeLayers([fromEnv(pytakEnv), urlLayer], undefined)).outputs;
  return output as OutputConfig;
}
