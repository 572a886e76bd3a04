/**
 * The three text layers — INI file, environment, command-line flags — turned into raw
 * settings: (section id, key, text, origin). Names are checked here against the schema
 * (unknown sections and keys with a "did you mean"); values are parsed later, once the
 * layers are merged, so a bad value is only reported where it takes effect.
 */
import { hint, quoteText, type Problem } from './errors.js';
import type { IniDocument, IniSection } from './ini.js';
import type { Origin } from './origin.js';
import { ALL_SECTIONS, SECTION_NAME, sectionSpec, type SectionSpec } from './schema.js';

export interface RawSetting {
  /** `takd`, `output.mesh`, `pytak`. */
  section: string;
  key: string;
  text: string;
  origin: Origin;
}

export interface LayerResult {
  settings: RawSetting[];
  /** Where each section was declared (INI header line), for "missing key" messages. */
  sectionOrigins: Map<string, Origin>;
  problems: Problem[];
  warnings: string[];
}

const SECTION_KINDS = ALL_SECTIONS.map((s) => (s.named ? `${s.name}.NAME` : s.name));
const pytakSpec = sectionSpec('pytak') as SectionSpec;
const PYTAK_NAMES = pytakSpec.keys.map((k) => k.pytak as string);

function emptyLayer(): LayerResult {
  return { settings: [], sectionOrigins: new Map(), problems: [], warnings: [] };
}

function keyNames(spec: SectionSpec): string[] {
  return spec.keys.map((k) => k.key);
}

/**
 * A section of PyTAK's own config.ini (`[aiscot]`, `[mycottool]`, …): it has a PyTAK key
 * (configparser reads keys in any case), or all its keys are written in upper case as PyTAK's are.
 */
function isPytakAppSection(section: IniSection): boolean {
  if (section.entries.some((e) => pytakSpec.keys.some((k) => k.key === e.key))) return true;
  return section.entries.length > 0 && section.entries.every((e) => e.written === e.written.toUpperCase() && /[A-Z]/.test(e.written));
}

function iniPytakSection(doc: IniDocument, section: IniSection, layer: LayerResult): void {
  const ignored: string[] = [];
  for (const entry of section.entries) {
    const where = `${doc.file}:${entry.line}`;
    const spec = pytakSpec.keys.find((k) => k.key === entry.key);
    if (spec !== undefined) {
      layer.settings.push({ section: 'pytak', key: spec.key, text: entry.value, origin: { layer: 'ini', file: doc.file, line: entry.line, written: entry.written } });
      continue;
    }
    const near = hint(entry.written, PYTAK_NAMES);
    if (near.startsWith(' (did you mean')) layer.problems.push({ where, key: entry.written, message: `unknown PyTAK key${near}` });
    else ignored.push(entry.written);
  }
  // A PyTAK gateway's own keys (AIS_PORT, FEED_URL, …) belong to that gateway: said once, not fatal.
  if (ignored.length > 0) layer.warnings.push(`${doc.file}:${section.line}: [${section.name}]: ignored keys takd does not use: ${ignored.join(', ')}`);
}

export function fromIni(doc: IniDocument): LayerResult {
  const layer = emptyLayer();
  for (const section of doc.sections) {
    const where = `${doc.file}:${section.line}`;
    const dot = section.name.indexOf('.');
    const kind = dot < 0 ? section.name : section.name.slice(0, dot);
    const name = dot < 0 ? undefined : section.name.slice(dot + 1);
    const spec = sectionSpec(kind);
    if (spec === undefined) {
      if (dot < 0 && isPytakAppSection(section) && hint(section.name, SECTION_KINDS).startsWith(' (allowed')) {
        iniPytakSection(doc, section, layer);
      } else {
        layer.problems.push({ where, key: '', message: `unknown section [${section.name}]${hint(dot < 0 ? section.name : `${kind}.NAME`, SECTION_KINDS, (c) => `[${c}]`)}` });
      }
      continue;
    }
    if (spec.name === 'pytak') {
      iniPytakSection(doc, section, layer);
      continue;
    }
    if (spec.named && name === undefined) {
      layer.problems.push({ where, key: '', message: `[${kind}] needs a name: [${kind}.NAME], e.g. [${kind}.${kind === 'source' ? 'gps' : 'mesh'}]` });
      continue;
    }
    if (!spec.named && name !== undefined) {
      layer.problems.push({ where, key: '', message: `[${kind}] takes no name: write [${kind}]` });
      continue;
    }
    if (name !== undefined && !SECTION_NAME.test(name)) {
      layer.problems.push({ where, key: '', message: `bad section name ${quoteText(name)} (allowed: a-z, 0-9, '_' and '-', up to 32 characters)` });
      continue;
    }
    layer.sectionOrigins.set(section.name, { layer: 'ini', file: doc.file, line: section.line, written: `[${section.name}]` });
    for (const entry of section.entries) {
      if (!spec.keys.some((k) => k.key === entry.key)) {
        layer.problems.push({ where: `${doc.file}:${entry.line}`, key: entry.written, message: `unknown key in [${section.name}]${hint(entry.key, keyNames(spec))}` });
        continue;
      }
      layer.settings.push({ section: section.name, key: entry.key, text: entry.value, origin: { layer: 'ini', file: doc.file, line: entry.line, written: entry.written } });
    }
  }
  return layer;
}

/** `TAKD_OUTPUT_MESH_TTL` → output.mesh / ttl; `TAKD_LOG_LEVEL` → log / level; `TAKD_CALLSIGN` → takd / callsign. */
function parseTakdVariable(variable: string): { section: string; key: string } | string {
  const rest = variable.slice('TAKD_'.length).toLowerCase();
  for (const spec of ALL_SECTIONS) {
    if (spec.name === 'pytak') continue;
    const prefix = `${spec.name}_`;
    const body = spec.name === 'takd' && !rest.startsWith(prefix) ? rest : rest.startsWith(prefix) ? rest.slice(prefix.length) : undefined;
    if (body === undefined) continue;
    // Longest key first, so `password_file` is not read as a section named `…_password` + `file`.
    const keys = keyNames(spec).sort((a, b) => b.length - a.length);
    if (!spec.named) {
      if (keys.includes(body)) return { section: spec.name, key: body };
      continue;
    }
    const key = keys.find((k) => body.endsWith(`_${k}`) && body.length > k.length + 1);
    if (key !== undefined) return { section: `${spec.name}.${body.slice(0, -key.length - 1)}`, key };
  }
  const all = ALL_SECTIONS.filter((s) => s.name !== 'pytak').flatMap((s) => s.keys.map((k) => `TAKD_${s.named ? `${s.name}_NAME` : s.name}_${k.key}`.toUpperCase()));
  return `unknown variable${hint(variable, all)}`;
}

/** TAKD_ variables that are not configuration keys (read by the loader, packaging and tests). */
const NON_CONFIG_VARIABLES = new Set(['TAKD_CONFIG', 'TAKD_ADDON_DIR', 'TAKD_SHARED_DIR']);

export function fromEnv(env: NodeJS.ProcessEnv): LayerResult {
  const layer = emptyLayer();
  for (const [name, text] of Object.entries(env)) {
    if (text === undefined || text === '') continue;
    const pytak = pytakSpec.keys.find((k) => k.pytak === name);
    if (pytak !== undefined) {
      layer.settings.push({ section: 'pytak', key: pytak.key, text, origin: { layer: 'env', name } });
      continue;
    }
    if (!name.startsWith('TAKD_') || NON_CONFIG_VARIABLES.has(name)) continue;
    const parsed = parseTakdVariable(name);
    if (typeof parsed === 'string') {
      // A near miss of a real key is a mistake; anything else may belong to another tool.
      if (parsed.includes('did you mean')) layer.problems.push({ where: 'environment', key: name, message: parsed });
      else layer.warnings.push(`environment: ${name}: not a takd setting; ignored`);
      continue;
    }
    if (parsed.section.includes('.') && !SECTION_NAME.test(parsed.section.slice(parsed.section.indexOf('.') + 1))) {
      layer.problems.push({ where: 'environment', key: name, message: 'bad section name in the variable' });
      continue;
    }
    const origin: Origin = { layer: 'env', name };
    layer.settings.push({ section: parsed.section, key: parsed.key, text, origin });
    if (!layer.sectionOrigins.has(parsed.section)) layer.sectionOrigins.set(parsed.section, origin);
  }
  return layer;
}

export interface FlagLayer extends LayerResult {
  /** `-c FILE` / `--config FILE`. */
  configFile?: string;
  /** `--no-config`: read no file (the embedded default applies). */
  noConfig: boolean;
  /** Arguments the config layer does not own (the subcommand's own flags). */
  rest: string[];
}

const SHORTCUTS = new Map<string, { section: string; key: string }>(
  ALL_SECTIONS.flatMap((s) => s.keys.filter((k) => k.flag !== undefined).map((k) => [k.flag as string, { section: s.name, key: k.key }] as const)),
);

/** Flags that configure: `-c FILE`, `--set section.key=value` (any key), and the schema's shortcuts. */
export function fromFlags(args: readonly string[]): FlagLayer {
  const layer: FlagLayer = { ...emptyLayer(), rest: [], noConfig: false };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (arg === '--no-config') {
      layer.noConfig = true;
      continue;
    }
    const takesValue = name === '-c' || name === '--config' || name === '--set' || SHORTCUTS.has(name);
    if (!takesValue) {
      layer.rest.push(arg);
      continue;
    }
    const value = inline ?? args[i + 1];
    if (inline === undefined) i += 1;
    if (value === undefined) {
      layer.problems.push({ where: 'command line', key: name, message: 'needs a value' });
      continue;
    }
    if (name === '-c' || name === '--config') {
      layer.configFile = value;
      continue;
    }
    const shortcut = SHORTCUTS.get(name);
    if (shortcut !== undefined) {
      layer.settings.push({ ...shortcut, text: value, origin: { layer: 'flag', flag: name } });
      continue;
    }
    const match = /^([a-z0-9_.-]+)\.([a-z0-9_]+)=(.*)$/is.exec(value);
    if (!match) {
      layer.problems.push({ where: 'command line', key: `--set ${value}`, message: 'expected SECTION.KEY=VALUE, e.g. --set output.mesh.ttl=2' });
      continue;
    }
    const section = (match[1] as string).toLowerCase();
    const key = (match[2] as string).toLowerCase();
    const flag = `--set ${section}.${key}`;
    const problem = checkName(section, key);
    if (problem !== undefined) {
      layer.problems.push({ where: 'command line', key: flag, message: problem });
      continue;
    }
    const origin: Origin = { layer: 'flag', flag };
    layer.settings.push({ section, key, text: match[3] as string, origin });
    if (!layer.sectionOrigins.has(section)) layer.sectionOrigins.set(section, origin);
  }
  return layer;
}

/** Is `section`/`key` in the schema? A message with a hint when not. */
function checkName(section: string, key: string): string | undefined {
  const dot = section.indexOf('.');
  const kind = dot < 0 ? section : section.slice(0, dot);
  const spec = sectionSpec(kind);
  if (spec === undefined) return `unknown section [${section}]${hint(kind, SECTION_KINDS, (c) => `[${c}]`)}`;
  if (spec.named !== (dot >= 0)) return spec.named ? `[${kind}] needs a name: ${kind}.NAME.${key}` : `[${kind}] takes no name`;
  if (dot >= 0 && !SECTION_NAME.test(section.slice(dot + 1))) return `bad section name '${section.slice(dot + 1)}'`;
  if (!spec.keys.some((k) => k.key === key)) return `unknown key in [${section}]${hint(key, keyNames(spec))}`;
  return undefined;
}
