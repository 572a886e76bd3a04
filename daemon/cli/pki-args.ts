// What `takd ca`, `takd user` and `takd package` share: their options (-c FILE like
// `takd run`, repeatable --name/--ip) and the configuration's [pki] and [enrollment].
import { loadConfig } from '../../config/loader.js';
import { viewConfig } from '../../config/view.js';
import { pkiPaths, type PkiPaths } from '../pki/paths.js';
import type { EnrollmentSettings, PkiSettings } from '../pki/settings.js';
import { UsageError } from './command.js';

export interface ParsedArgs {
  positional: string[];
  /** Each option's values in order (flags without a value: ['']). */
  options: Map<string, string[]>;
}

/** `valued`: options that take a value; `flags`: options that do not. -c/--config always takes one. */
export function parseArgs(args: readonly string[], valued: readonly string[], flags: readonly string[] = []): ParsedArgs {
  const parsed: ParsedArgs = { positional: [], options: new Map() };
  const add = (name: string, value: string): void => {
    parsed.options.set(name, [...(parsed.options.get(name) ?? []), value]);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const canonical = name === '--config' ? '-c' : name;
    if (canonical === '-c' || valued.includes(canonical)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      add(canonical, value);
    } else if (flags.includes(name)) {
      add(name, '');
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option '${arg}'`);
    } else {
      parsed.positional.push(arg);
    }
  }
  return parsed;
}

export function last(parsed: ParsedArgs, name: string): string | undefined {
  return parsed.options.get(name)?.at(-1);
}

export interface PkiContext {
  settings: PkiSettings;
  paths: PkiPaths;
  enrollment?: EnrollmentSettings;
  /** The tls+listen ports (inputs and outputs), for connection packages. */
  tlsListenPorts: number[];
}

/** [pki] and [enrollment] of the configuration -c names (or the default file); throws ConfigError. */
export function pkiContext(parsed: ParsedArgs): PkiContext {
  const file = last(parsed, '-c');
  const { config } = loadConfig({ args: file === undefined ? [] : ['-c', file] });
  const view = viewConfig(config);
  const tlsListenPorts = [...view.inputs, ...view.outputs].flatMap((i) => (i.spec.kind === 'tls-listen' ? [i.spec.port] : []));
  const context: PkiContext = { settings: view.pki, paths: pkiPaths(view.pki.dir), tlsListenPorts };
  if (view.enrollment !== undefined) context.enrollment = view.enrollment;
  return context;
}
