// What `npm run build:binary` and `npm run build:deb` share: options parsed with one of
// the allowed architectures, progress and warnings on stderr under the command's name,
// the artefact on stdout, and exit status 2 for bad usage, 1 for a failed build.
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

type Options = NonNullable<ParseArgsConfig['options']>;

export interface PackagingCommand<O extends Options> {
  name: string;
  arches: readonly string[];
  defaultArch: string;
  /** Options besides --arch. */
  options: O;
  build(arch: string, values: Record<string, string | boolean | undefined>, log: (line: string) => void): Promise<string>;
}

export function runPackagingCommand<O extends Options>(command: PackagingCommand<O>): void {
  const log = (line: string): void => void process.stderr.write(`${command.name}: ${line}\n`);
  const run = async (): Promise<number> => {
    const options: Options = { ...command.options, arch: { type: 'string', default: command.defaultArch } };
    const values = parseArgs({ options }).values as Record<string, string | boolean | undefined>;
    const arch = String(values.arch);
    if (!command.arches.includes(arch)) {
      log(`--arch must be one of ${command.arches.join(', ')}`);
      return 2;
    }
    process.stdout.write(`${await command.build(arch, values, log)}\n`);
    return 0;
  };
  run().then(
    (status) => (process.exitCode = status),
    (error: unknown) => {
      log(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
