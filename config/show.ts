/**
 * `takd config show`: the effective configuration as INI, each value followed by where it
 * came from. Secrets are printed as <redacted>; so the output can be pasted into a bug report.
 * A source's link is shown as it is opened: the driver's link defaults (baud, port) written
 * in where the URL does not say, with "driver default" in the origin.
 */
import { applyLinkDefaults, findDriver } from '../hal/index.js';
import type { LoadedConfig, SectionValues, Setting } from './loader.js';
import { describeOrigin } from './origin.js';
import { ALL_SECTIONS, sectionSpec, splitSectionId } from './schema.js';
import { formatValue } from './values.js';
import { redactEnrollLink } from '../daemon/enroll/link.js';

export const REDACTED = '<redacted>';

function sectionOrder(id: string): number {
  return ALL_SECTIONS.findIndex((s) => s.name === splitSectionId(id).kind);
}

/** Code-unit order: deterministic, and no ICU collator (megabytes) for a few names. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function showConfig(config: LoadedConfig): string {
  const lines: string[] = [`; takd effective configuration — file: ${config.file ?? 'none (embedded default)'}`];
  const ids = [...config.sections.keys()].sort((a, b) => sectionOrder(a) - sectionOrder(b) || byCodeUnit(a, b));
  for (const id of ids) {
    const values = config.sections.get(id);
    const spec = sectionSpec(splitSectionId(id).kind);
    if (values === undefined || spec === undefined || values.size === 0) continue;
    lines.push('', `[${id}]`);
    const rows = spec.keys.filter((k) => values.has(k.key)).map((k) => {
      const setting = values.get(k.key)!;
      if (spec.name === 'source' && k.key === 'link') return linkRow(setting, values);
      const text = k.secret ? REDACTED : k.type.kind === 'transport-url' ? redactEnrollLink(formatValue(setting.value)) : formatValue(setting.value);
      return [`${k.key} = ${text}`, describeOrigin(setting.origin)] as const;
    });
    const width = Math.max(...rows.map(([left]) => left.length));
    for (const [left, origin] of rows) lines.push(`${left.padEnd(width)}  ; ${origin}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `link = serial:///dev/ttyACM0?baud=115200  ; FILE:LINE; baud 115200: driver default (meshtastic)`. */
function linkRow(setting: Setting, values: SectionValues): readonly [string, string] {
  const written = formatValue(setting.value);
  const driver = findDriver(String(values.get('driver')?.value ?? ''));
  const origin = describeOrigin(setting.origin);
  if (driver === undefined) return [`link = ${written}`, origin];
  const { url, applied } = applyLinkDefaults(written, driver.defaults);
  const notes = Object.entries(applied).map(([name, value]) => `; ${name} ${value}: driver default (${driver.name})`);
  if (notes.length === 0) return [`link = ${written}`, origin];
  return [`link = ${url.href}`, `${origin}${notes.join('')}`];
}
