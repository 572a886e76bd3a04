/**
 * INI text → sections of key/value lines with their line numbers. The dialect is Python
 * configparser's, which PyTAK configs are written in: `[section]`, `key = value` or
 * `key: value`, keys case-insensitive, full-line comments with `;` or `#`. Also a `;` or `#`
 * after whitespace starts an inline comment (the design's examples use them). Multi-line
 * values are not supported: an indented line is an error rather than silently joined.
 */
import { ConfigError, quoteText, type Problem } from './errors.js';

export interface IniEntry {
  /** Lower-cased key. */
  key: string;
  /** The key as written, for messages. */
  written: string;
  value: string;
  line: number;
}

export interface IniSection {
  /** Lower-cased, trimmed name. */
  name: string;
  line: number;
  entries: IniEntry[];
}

export interface IniDocument {
  file: string;
  sections: IniSection[];
}

const SECTION = /^\[\s*([^\]]*?)\s*\]\s*(?:[;#].*)?$/;
const ENTRY = /^([^=:\s][^=:]*?)\s*[=:]\s?(.*)$/;

function stripInlineComment(value: string): string {
  const match = /\s[;#]/.exec(value);
  return (match ? value.slice(0, match.index) : value).trim();
}

export function parseIni(text: string, file: string): IniDocument {
  const problems: Problem[] = [];
  const sections: IniSection[] = [];
  const seenSections = new Map<string, number>();
  let current: IniSection | undefined;
  let seenKeys = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const where = `${file}:${line}`;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#')) return;
    if (/^\s/.test(raw) && current !== undefined && current.entries.length > 0) {
      problems.push({ where, key: '', message: 'indented line: multi-line values are not supported (write the value on one line, or remove the indentation)' });
      return;
    }
    const section = SECTION.exec(trimmed);
    if (section) {
      const name = (section[1] as string).toLowerCase();
      if (name === '') problems.push({ where, key: '', message: 'empty section name []' });
      const previous = seenSections.get(name);
      if (previous !== undefined) problems.push({ where, key: '', message: `section [${name}] repeated (first at line ${previous})` });
      seenSections.set(name, line);
      current = { name, line, entries: [] };
      sections.push(current);
      seenKeys = new Map();
      return;
    }
    if (trimmed.startsWith('[')) {
      problems.push({ where, key: '', message: `bad section header ${quoteText(trimmed)} (write [name])` });
      return;
    }
    const entry = ENTRY.exec(trimmed);
    if (!entry) {
      problems.push({ where, key: '', message: `${quoteText(trimmed)} is not 'key = value'` });
      return;
    }
    const written = (entry[1] as string).trim();
    if (current === undefined) {
      problems.push({ where, key: written, message: 'outside any section (put it under [takd], [output.NAME], … or [pytak])' });
      return;
    }
    const key = written.toLowerCase();
    const previous = seenKeys.get(key);
    if (previous !== undefined) {
      problems.push({ where, key: written, message: `repeated in [${current.name}] (first at line ${previous})` });
      return;
    }
    seenKeys.set(key, line);
    current.entries.push({ key, written, value: stripInlineComment(` ${entry[2] as string}`), line });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return { file, sections };
}
