// The .deb's /etc/takd/takd.ini, generated from config/schema.ts so that it lists every key
// with its default and meaning and cannot drift from what the daemon accepts. Everything
// is commented out: the file documents, the built-in defaults apply.
import { ALL_SECTIONS, type KeySpec, type SectionSpec } from '../../config/schema.js';
import { describeType, formatValue } from '../../config/values.js';

/** Example names for the named sections, as the design's example config uses them. */
const EXAMPLE_NAME: Record<string, string> = { source: 'gps', input: 'phones', output: 'mesh' };

/** A value to show for a key without a constant default (required keys need one). */
const EXAMPLE_VALUE: Record<string, string> = {
  'source.driver': 'nmea-gnss',
  'source.link': 'serial:///dev/serial/by-id/usb-u-blox_GNSS-if00?baud=9600',
  'input.url': 'tcp+listen://0.0.0.0:8087',
  'output.url': 'udp://239.2.3.1:6969',
};

function defaultLine(section: SectionSpec, key: KeySpec): string {
  if (key.default !== undefined) return `;${key.key} = ${formatValue(key.default)}`;
  const example = EXAMPLE_VALUE[`${section.name}.${key.key}`];
  return example === undefined ? `;${key.key} =` : `;${key.key} = ${example}`;
}

function keyBlock(section: SectionSpec, key: KeySpec): string[] {
  // describeType escapes '|' for Markdown tables; an INI comment wants it plain.
  const notes = [describeType(key.type).replaceAll('\\|', '|')];
  if (key.required) notes.push('required');
  if (key.default === undefined && key.defaultText !== undefined) notes.push(`default: ${key.defaultText}`);
  if (key.secret) notes.push('secret');
  return [`; ${key.doc} (${notes.join('; ')})`, defaultLine(section, key)];
}

function sectionBlock(section: SectionSpec): string[] {
  const header = section.named ? `${section.name}.${EXAMPLE_NAME[section.name] ?? 'NAME'}` : section.name;
  const lines = [`; ${section.doc}`];
  if (section.named) lines.push(`; One [${section.name}.NAME] section per ${section.name}; NAME is yours to choose.`);
  lines.push(`;[${header}]`);
  for (const key of section.keys) lines.push(...keyBlock(section, key));
  return lines;
}

/** No version inside: an unchanged file lets dpkg keep an edited takd.ini without asking. */
export function defaultIni(): string {
  const head = [
    '; /etc/takd/takd.ini — takd configuration',
    ';',
    '; Every key takd knows, commented out, with its built-in default. Uncomment and edit what',
    '; you need, then `takd config check` and `systemctl restart takd`. `takd config show`',
    '; prints the effective value of each key and where it came from.',
    '; Format: [section], key = value; comments start with ; or #. Booleans: true/false/yes/no/on/off/1/0.',
    '; Examples: /usr/share/doc/takd/examples/.',
  ];
  const body = ALL_SECTIONS.flatMap((section) => ['', ...sectionBlock(section)]);
  return `${[...head, ...body].join('\n')}\n`;
}
