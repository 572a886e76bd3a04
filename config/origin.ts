/** Where a configuration value came from, and how that ranks (flags > env > INI > defaults). */
import type { ConfigValue } from './values.js';

export type Origin =
  | { layer: 'default' }
  /** Chosen by the embedded default configuration (no file), with the reason. */
  | { layer: 'embedded'; why: string }
  | { layer: 'ini'; file: string; line: number; written: string }
  | { layer: 'env'; name: string }
  | { layer: 'flag'; flag: string };

const RANK: Record<Origin['layer'], number> = { default: 0, embedded: 1, ini: 2, env: 3, flag: 4 };

/** A parsed value and where it came from. */
export interface Setting {
  value: ConfigValue;
  origin: Origin;
}

/** One section's settings, by key. */
export type SectionValues = Map<string, Setting>;

export function rank(origin: Origin): number {
  return RANK[origin.layer];
}

/** For `config show`: `default`, `/etc/takd/takd.ini:12`, `env TAKD_LOG_LEVEL`, `flag --callsign`. */
export function describeOrigin(origin: Origin): string {
  switch (origin.layer) {
    case 'default':
      return 'default';
    case 'embedded':
      return `embedded default (${origin.why})`;
    case 'ini':
      return `${origin.file}:${origin.line}`;
    case 'env':
      return `env ${origin.name}`;
    case 'flag':
      return `flag ${origin.flag}`;
  }
}

/** The `WHERE` and `KEY` parts of an error message about a value from this origin. */
export function problemPlace(origin: Origin, key: string): { where: string; key: string } {
  switch (origin.layer) {
    case 'ini':
      return { where: `${origin.file}:${origin.line}`, key: origin.written };
    case 'env':
      return { where: 'environment', key: origin.name };
    case 'flag':
      return { where: 'command line', key: origin.flag };
    default:
      return { where: describeOrigin(origin), key };
  }
}
