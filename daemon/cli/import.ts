// `takd import FILE.zip`: a TAK connection package (ATAK or iTAK layout) → credentials
// under $STATE_DIRECTORY (or --dir) and the [output.NAME] section that uses them.
import { readSmallFile } from '../transports/small-file.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './command.js';

const HELP = `Usage: takd import FILE.zip [--dir DIR] [--name NAME] [-o FILE]

Reads a TAK connection package — the zip a TAK Server, OpenTAKServer, PyTAK or
'takd package client' makes for a phone, in ATAK's layout (MANIFEST/, certs/config.pref,
certs/*.p12) or iTAK's (the same files at the root) — and sets takd up to connect the
way the phone would:

  - connectString0 (HOST:PORT:ssl|tcp|udp) becomes the output's url (ssl → tls://);
  - the client PKCS#12 (certificateLocation, clientPassword or clientPassword0, default
    atakatak) becomes DIR/import/NAME/client.pem and client.key, the truststore
    (caLocation, caPassword) ca.pem; all mode 0600, decrypted in memory only;
  - the [output.NAME] section that uses them is printed (or written with -o).

  --dir DIR    where the files go (default $STATE_DIRECTORY, else /etc/takd)
  --name NAME  the output's name (default: from the package's description or host)
  -o FILE      also write the section to FILE (refused if FILE exists)

The zip is checked before anything is written: at most 64 members of 1 MiB, no member
that inflates past its declared size or 200-fold, no name with '..' or an absolute path.

Exit status: 0 imported, 1 the package is refused (the reason is printed), 2 usage error.

Examples:
  takd import ~/Downloads/takserver.zip >> /etc/takd/takd.ini
  STATE_DIRECTORY=/var/lib/takd takd import pkg.zip --name hq
`;

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  let file: string | undefined;
  let dir: string | undefined;
  let name: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const value = args[i + 1];
    if ((arg === '--dir' || arg === '--name' || arg === '-o') && value !== undefined) {
      if (arg === '--dir') dir = value;
      else if (arg === '--name') name = value;
      else out = value;
      i++;
    } else if (!arg.startsWith('-') && file === undefined) file = arg;
    else {
      io.stderr.write(`takd import: unknown or incomplete argument '${arg}'\n\n${HELP}`);
      return EXIT_USAGE;
    }
  }
  if (file === undefined) {
    io.stderr.write(`takd import: which package? (takd import FILE.zip)\n\n${HELP}`);
    return EXIT_USAGE;
  }
  if (name !== undefined && !/^[a-z0-9][a-z0-9_-]{0,31}$/.test(name)) {
    io.stderr.write(`takd import: --name '${name}' is not a section name (a-z, 0-9, _ and -, at most 32)\n`);
    return EXIT_USAGE;
  }
  try {
    const { importPackage } = await import('../enroll/import.js');
    const { writeFileSync } = await import('node:fs');
    const zip = readSmallFile(file, 16 * 1024 * 1024);
    const result = await importPackage(zip, dir ?? process.env.STATE_DIRECTORY?.split(':')[0] ?? '/etc/takd', name);
    if (out !== undefined) writeFileSync(out, result.section, { flag: 'wx', mode: 0o644 });
    const written = Object.values(result.files);
    io.stderr.write(`takd import: ${file}: ${result.pkg.url}${written.length > 0 ? `; wrote ${written.join(', ')} (0600)` : ''}${out !== undefined ? `; the section is in ${out}` : ''}\n`);
    io.stdout.write(result.section);
    return EXIT_OK;
  } catch (error) {
    io.stderr.write(`takd import: ${file}: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
}
