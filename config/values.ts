/**
 * Value types of the configuration schema and their one parser each. Every text value from
 * INI, environment or command line goes through `parseValue`, so "true", "yes" and "on" mean
 * the same wherever a boolean is expected and a bad value always reads the same way.
 */
import { quoteText } from './errors.js';
import { parseTransportUrl } from '../daemon/transports/url.js';
import { isEnrollLink, parseEnrollLink } from '../daemon/enroll/link.js';

export type ConfigValue = string | number | boolean | string[];

export type ValueType =
  /** `check` validates beyond the pattern (e.g. a bounding box); it throws with what is allowed. */
  | { kind: 'string'; pattern?: RegExp; hint?: string; check?: (value: string) => void }
  | { kind: 'integer'; min: number; max: number; unit?: string }
  | { kind: 'number'; min: number; max: number; unit?: string }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  /** An output or input URL (daemon/transports/url.ts decides); `enroll`: a tak:// enrollment link too (daemon/enroll/link.ts). */
  | { kind: 'transport-url'; enroll?: boolean }
  /** A device link URL: serial://, tcp://, udp:// (receive, e.g. AIS-catcher), file:// (replay), sim:// */
  | { kind: 'link-url' }
  /** A path to a file takd reads (checked at start, not here). */
  | { kind: 'path' }
  /** `host:port` for a local HTTP listener; empty disables. */
  | { kind: 'hostport' }
  /** Comma-separated words. */
  | { kind: 'list' };

/** A value that does not parse: `problem` reads after "key: ". */
export class ValueError extends Error {
  constructor(readonly problem: string) {
    super(problem);
  }
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);
export const BOOLEAN_WORDS = 'true/false/yes/no/on/off/1/0';

/** The one boolean parser: true/false/yes/no/on/off/1/0, any case; anything else is an error. */
export function parseBoolean(text: string): boolean {
  const word = text.trim().toLowerCase();
  if (TRUE.has(word)) return true;
  if (FALSE.has(word)) return false;
  throw new ValueError(`${quoteText(text)} is not a boolean (allowed: ${BOOLEAN_WORDS})`);
}

const LINK_SCHEMES = ['serial', 'tcp', 'udp', 'file', 'sim', 'mock'] as const;

function parseNumber(text: string, type: { kind: 'integer' | 'number'; min: number; max: number; unit?: string }): number {
  const trimmed = text.trim();
  const pattern = type.kind === 'integer' ? /^-?\d+$/ : /^-?(\d+\.?\d*|\.\d+)$/;
  const value = Number(trimmed);
  const range = `${type.min}-${type.max}${type.unit ? ` ${type.unit}` : ''}`;
  if (!pattern.test(trimmed)) throw new ValueError(`${quoteText(text)} is not ${type.kind === 'integer' ? 'an integer' : 'a number'} (allowed: ${range})`);
  if (value < type.min || value > type.max) throw new ValueError(`${trimmed} is out of range (allowed: ${range})`);
  return value;
}

function parseLinkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ValueError(`${quoteText(text)} is not a link URL (e.g. serial:///dev/ttyUSB0?baud=9600, tcp://127.0.0.1:2947, sim://?speed=walk)`);
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!(LINK_SCHEMES as readonly string[]).includes(scheme)) {
    throw new ValueError(`unknown link scheme ${quoteText(scheme)} (allowed: ${LINK_SCHEMES.join(', ')})`);
  }
  const baud = url.searchParams.get('baud');
  if (baud !== null && !/^\d+$/.test(baud)) throw new ValueError(`baud ${quoteText(baud)} is not a number (e.g. 4800, 9600, 38400)`);
  return text.trim();
}

function parseHostPort(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  const match = /^(?:\[([0-9a-fA-F:]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(trimmed);
  if (!match || Number(match[3]) > 65535) throw new ValueError(`${quoteText(text)} is not host:port (e.g. 127.0.0.1:8080)`);
  return trimmed;
}

/** Text → typed value; throws ValueError. */
export function parseValue(text: string, type: ValueType): ConfigValue {
  switch (type.kind) {
    case 'string': {
      const value = text.trim();
      if (type.pattern && !type.pattern.test(value)) throw new ValueError(`${quoteText(text)} is not valid (allowed: ${type.hint ?? type.pattern.source})`);
      if (type.check) {
        try {
          type.check(value);
        } catch (error) {
          throw new ValueError((error as Error).message);
        }
      }
      return value;
    }
    case 'integer':
    case 'number':
      return parseNumber(text, type);
    case 'boolean':
      return parseBoolean(text);
    case 'enum': {
      const value = text.trim();
      const match = type.values.find((v) => v.toLowerCase() === value.toLowerCase());
      if (match === undefined) throw new ValueError(`${quoteText(text)} is not allowed (allowed: ${type.values.join(', ')})`);
      return match;
    }
    case 'transport-url':
      try {
        if (isEnrollLink(text)) {
          if (type.enroll !== true) throw new ValueError('a tak:// enrollment link is for an output (this box connects to that server), not here');
          parseEnrollLink(text);
        } else parseTransportUrl(text.trim());
      } catch (error) {
        throw new ValueError((error as Error).message.replace(/^url: /, ''));
      }
      return text.trim();
    case 'link-url':
      return parseLinkUrl(text);
    case 'path': {
      const value = text.trim();
      if (value === '') throw new ValueError('empty path');
      return value;
    }
    case 'hostport':
      return parseHostPort(text);
    case 'list':
      return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  }
}

/** How a type reads in docs and hints. */
export function describeType(type: ValueType): string {
  switch (type.kind) {
    case 'string':
      return type.hint ?? 'text';
    case 'integer':
    case 'number':
      return `${type.kind} ${type.min}-${type.max}${type.unit ? ` ${type.unit}` : ''}`;
    case 'boolean':
      return 'boolean';
    case 'enum':
      return type.values.join(' \\| ');
    case 'transport-url':
      return 'output/input URL';
    case 'link-url':
      return 'link URL';
    case 'path':
      return 'file path';
    case 'hostport':
      return 'host:port';
    case 'list':
      return 'comma-separated list';
  }
}

/** A value as INI text (for `config show` and the docs). */
export function formatValue(value: ConfigValue): string {
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}
