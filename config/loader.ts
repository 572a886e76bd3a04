/**
 * Layers → the effective configuration: for every (section, key) the value from the
 * highest-ranked layer (flags > environment > INI > defaults), parsed by its schema type,
 * with its origin. PyTAK keys are folded in here (see pytak.ts). Every problem is collected
 * and thrown together as one ConfigError, so a bad config never starts half a daemon.
 */
import { applyPackages } from './packages.js';
import { ConfigError, type Problem } from './errors.js';
import { parseIni } from './ini.js';
import { fromEnv, fromFlags, fromIni, type LayerResult, type RawSetting } from './layers.js';
import { problemPlace, rank, type Origin, type SectionValues } from './origin.js';
import { applyPytak } from './pytak.js';
import { findDriver } from '../hal/index.js';
import { ALL_SECTIONS, keySpec, sectionSpec, splitSectionId, transportName, type KeySpec, type SectionSpec } from './schema.js';
import { parseValue, ValueError, type ConfigValue, type ValueType } from './values.js';
import { kindOf, type RegisteredKind } from '../daemon/transports/table.js';
import { parseTransportUrl } from '../daemon/transports/url.js';
import { readSmallFile, SmallFileError } from '../daemon/transports/small-file.js';

/** A configuration is a few kilobytes; a megabyte is already absurd. */
const CONFIG_FILE_MAX_BYTES = 1024 * 1024;

export const DEFAULT_CONFIG_FILE = '/etc/takd/takd.ini';

export type { Setting, SectionValues } from './origin.js';

export interface LoadedConfig {
  /** The file read, or undefined when none exists (the embedded default applies). */
  file: string | undefined;
  /** Section id → key → setting. Every single section is present, with its defaults. */
  sections: Map<string, SectionValues>;
  sectionOrigins: Map<string, Origin>;
  warnings: string[];
}

export interface LoadOptions {
  args?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Used when neither -c nor TAKD_CONFIG names a file. */
  defaultFile?: string;
  /** The embedded default's choices (lowest layer above the built-in defaults); see embedded.ts. */
  embedded?: RawSetting[];
}

/** Reads the file (if any) and merges every layer. Throws ConfigError. Returns the arguments config did not consume. */
export function loadConfig(options: LoadOptions = {}): { config: LoadedConfig; rest: string[] } {
  const env = options.env ?? process.env;
  const flags = fromFlags(options.args ?? []);
  const explicitFile = flags.configFile ?? env.TAKD_CONFIG;
  const file = explicitFile ?? options.defaultFile ?? DEFAULT_CONFIG_FILE;
  const layers: LayerResult[] = [];
  if (options.embedded !== undefined) layers.push({ settings: options.embedded, sectionOrigins: new Map(), problems: [], warnings: [] });
  let fileRead: string | undefined;
  try {
    if (flags.noConfig) throw Object.assign(new Error('--no-config'), { code: 'ENOENT' });
    const text = readSmallFile(file, CONFIG_FILE_MAX_BYTES).toString('utf8');
    fileRead = file;
    layers.push(fromIni(parseIni(text, file)));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (error instanceof SmallFileError && error.code === undefined) throw new ConfigError([{ where: file, key: '', message: error.message }]);
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    // No file at the default place is normal (the embedded default); a named file must exist.
    if ((explicitFile !== undefined && !flags.noConfig) || code !== 'ENOENT') {
      const via = flags.configFile !== undefined ? '-c' : explicitFile !== undefined ? 'TAKD_CONFIG' : 'default file';
      throw new ConfigError([{ where: file, key: '', message: `cannot read the configuration (${code}${via === 'default file' ? '' : `, named by ${via}`})` }]);
    }
  }
  const { TAKD_CONFIG: _configVariable, ...envWithoutFile } = env;
  layers.push(fromEnv(envWithoutFile), flags);
  return { config: mergeLayers(layers, fileRead), rest: flags.rest };
}

/** Merges already-read layers (lowest rank first). Throws ConfigError. */
export function mergeLayers(layers: LayerResult[], file: string | undefined): LoadedConfig {
  const problems: Problem[] = layers.flatMap((l) => l.problems);
  const warnings = layers.flatMap((l) => l.warnings);
  const sectionOrigins = new Map<string, Origin>();
  const winners = new Map<string, RawSetting>();
  const sameSection = sectionMatcher(layers);
  for (const layer of layers) {
    for (const [id, origin] of layer.sectionOrigins) if (!sectionOrigins.has(sameSection(id))) sectionOrigins.set(sameSection(id), origin);
    for (const raw of layer.settings) {
      const setting = { ...raw, section: sameSection(raw.section) };
      const id = `${setting.section}\u0000${setting.key}`;
      const previous = winners.get(id);
      if (previous === undefined || rank(setting.origin) >= rank(previous.origin)) winners.set(id, setting);
    }
  }
  const sections = new Map<string, SectionValues>();
  /** Keys set to a bad value: reported once, not again as missing. */
  const invalid = new Set<string>();
  for (const spec of ALL_SECTIONS) if (!spec.named) sections.set(spec.name, new Map());
  const driverOf = sourceDrivers(winners);
  const transportOf = sectionTransports(winners);
  for (const setting of winners.values()) {
    const { kind } = splitSectionId(setting.section);
    let spec = sectionSpec(kind)?.keys.find((k) => k.key === setting.key);
    if (spec === undefined) continue; // names were checked by the layers
    // A driver's or a transport's own key: typed by the section's driver or transport, refused by the others.
    const own = spec.drivers !== undefined ? driverKey(spec, driverOf(setting.section)) : spec.transports !== undefined ? transportKey(spec, transportOf(setting.section)) : spec;
    if (typeof own === 'string') {
      problems.push({ ...problemPlace(setting.origin, setting.key), message: own });
      continue;
    }
    spec = own;
    let values = sections.get(setting.section);
    if (values === undefined) sections.set(setting.section, (values = new Map()));
    try {
      values.set(setting.key, { value: parseValue(setting.text, spec.type), origin: setting.origin });
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      invalid.add(`${setting.section}\u0000${setting.key}`);
      problems.push({ ...problemPlace(setting.origin, setting.key), message: error.problem });
    }
  }
  const config: LoadedConfig = { file, sections, sectionOrigins, warnings };
  applyPytak(sections, sectionOrigins);
  problems.push(...applyPackages(sections));
  for (const [id, values] of sections) {
    const spec = sectionSpec(splitSectionId(id).kind) as SectionSpec;
    applyDefaults(spec, values);
    problems.push(...checkRequired(id, spec, values, sectionOrigins.get(id)).filter((p) => !invalid.has(`${id}\u0000${p.key}`)));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * Environment names cannot hold '-': TAKD_OUTPUT_TAK_SERVER_URL means [output.tak-server]
 * when the file has that section. Returns the id to use for a section id from any layer.
 */
function sectionMatcher(layers: LayerResult[]): (id: string) => string {
  const declared = new Map<string, string>();
  for (const layer of layers) {
    for (const [id, origin] of layer.sectionOrigins) if (origin.layer === 'ini') declared.set(id.replace(/-/g, '_'), id);
  }
  return (id) => declared.get(id.replace(/-/g, '_')) ?? id;
}

/** Each source section's driver, as written (undefined: not given or not a driver of the table). */
function sourceDrivers(winners: Map<string, RawSetting>): (section: string) => string | undefined {
  const driverSpec = keySpec('source', 'driver') as KeySpec;
  return (section) => {
    const text = winners.get(`${section}\u0000driver`)?.text;
    if (text === undefined) return undefined;
    try {
      return String(parseValue(text, driverSpec.type));
    } catch {
      return undefined; // reported as a bad driver value
    }
  };
}

/**
 * A driver key as its section's driver declares it (its own type), or why it is refused:
 * `not a key of driver nmea-gnss (it has none)`. Without a known driver (a bad or missing
 * `driver`, reported on its own) the key is parsed by the first driver that has it.
 */
function driverKey(spec: KeySpec, driverName: string | undefined): KeySpec | string {
  const driver = driverName === undefined ? undefined : findDriver(driverName);
  if (driver === undefined) return spec;
  const own = driver.keys.find((k) => k.key === spec.key);
  if (own === undefined) {
    const keys = driver.keys.map((k) => k.key);
    return `not a key of driver ${driver.name} (${keys.length === 0 ? 'it has none' : `its keys: ${keys.join(', ')}`})`;
  }
  return { ...spec, type: own.type };
}

/** Each output section's transport row, by its URL as written (undefined: no URL, or a bad one, reported on its own). */
function sectionTransports(winners: Map<string, RawSetting>): (section: string) => RegisteredKind | undefined {
  return (section) => {
    const text = winners.get(`${section}\u0000url`)?.text;
    if (text === undefined) return undefined;
    try {
      return kindOf(parseTransportUrl(text));
    } catch {
      return undefined; // reported as a bad url value
    }
  };
}

/**
 * A transport key as its section's transport declares it (its own type), or why it is
 * refused: `not a key of transport tcp (its keys: …)`. Without a known transport the key
 * is parsed by the first row that has it.
 */
function transportKey(spec: KeySpec, row: RegisteredKind | undefined): KeySpec | string {
  if (row === undefined) return spec;
  const own = row.keys.find((k) => k.key === spec.key);
  if (own === undefined) {
    const keys = row.keys.map((k) => k.key);
    return `not a key of transport ${transportName(row)}:// (${keys.length === 0 ? 'it has none' : `its keys: ${keys.join(', ')}`})`;
  }
  return { ...spec, type: own.type as ValueType };
}

/** Keys whose default depends on another key of the same section: a driver's default link. */
function derivedDefault(spec: SectionSpec, key: string, values: SectionValues): ConfigValue | undefined {
  if (spec.name === 'source' && key === 'link') return findDriver(String(values.get('driver')?.value ?? ''))?.defaultLink;
  return undefined;
}

function applyDefaults(spec: SectionSpec, values: SectionValues): void {
  for (const key of spec.keys) {
    if (values.has(key.key)) continue;
    const value = key.default ?? derivedDefault(spec, key.key, values);
    if (value !== undefined) values.set(key.key, { value, origin: { layer: 'default' } });
  }
}

function checkRequired(id: string, spec: SectionSpec, values: SectionValues, origin: Origin | undefined): Problem[] {
  const problems: Problem[] = [];
  const missing = spec.keys.filter((k) => (k.required || (spec.name === 'source' && k.key === 'link')) && !values.has(k.key));
  for (const key of missing) {
    const place = origin === undefined ? { where: `[${id}]`, key: key.key } : { ...problemPlace(origin, key.key), key: key.key };
    const allowed = key.type.kind === 'enum' ? `allowed: ${key.type.values.join(', ')}` : `e.g. ${key.doc}`;
    problems.push({ ...place, message: `missing in [${id}] (${allowed})` });
  }
  return problems;
}
