// `takd package client NAME`: ATAK and iTAK connection packages for a phone that cannot scan
// the enrollment QR code.
import { join } from 'node:path';
import { readCa, serverHosts } from '../pki/ca-store.js';
import { clientPackages } from '../pki/client-package.js';
import { PRIVATE_MODE, writeFileAtomic } from '../pki/files.js';
import { DEFAULT_P12_PASSWORD } from '../pki/pkcs12.js';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './command.js';
import { failure } from './ca.js';
import { last, parseArgs, pkiContext } from './pki-args.js';

const HELP = `Usage: takd package client NAME [-c FILE] [--host HOST] [--port PORT] [--password P] [--out DIR]
                                [--team COLOUR] [--role ROLE] [--days N]

Makes a key and a certificate for NAME on the box (from [pki]'s CA, extended key usage
clientAuth) and writes two connection packages into DIR (default: the current directory),
mode 0600 since they hold the key:
  NAME-atak.zip   MANIFEST/manifest.xml, certs/config.pref, certs/caCert.p12, certs/clientCert.p12
  NAME-itak.zip   the same files at the root, for iTAK
config.pref's connectString0 is HOST:PORT:ssl. The .p12 files use the legacy encryption
ATAK reads (PBE-SHA1-3DES, MAC SHA-1; openssl pkcs12 -legacy opens them).

  -c FILE          the configuration whose [pki] dir and tls+listen port to use
  --host HOST      the box as phones reach it (default: [enrollment] advertise, else the
                   server certificate's first address off loopback, else its first name)
  --port PORT      the tls+listen port (default: the configuration's first, else 8089)
  --password P     the .p12 password (default 'atakatak', the TAK world's default: anyone
                   holding the file can open it; set your own for files that travel)
  --team, --role   the phone's team and role in the package's preferences
  --days N         certificate validity (default: [pki] client_days)

The certificate is recorded under NAME: 'takd user revoke NAME' refuses it.

Example:
  takd package client bravo --host 192.168.1.10 --password 'correct horse'
`;

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help') || args.length === 0) {
    io.stdout.write(HELP);
    return args.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  try {
    const parsed = parseArgs(args, ['--host', '--port', '--password', '--out', '--team', '--role', '--days']);
    const [kind, name, ...extra] = parsed.positional;
    if (kind !== 'client') throw new UsageError(`unknown package kind '${kind ?? ''}' (client)`);
    if (name === undefined) throw new UsageError('give the user NAME');
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const context = pkiContext(parsed);
    const ca = await readCa(context.paths);
    const portText = last(parsed, '--port');
    const port = portText === undefined ? (context.tlsListenPorts[0] ?? 8089) : Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError('--port takes 1-65535');
    const daysText = last(parsed, '--days');
    const days = daysText === undefined ? context.settings.clientDays : Number(daysText);
    if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UsageError('--days takes 1-3650');
    let host = last(parsed, '--host') ?? context.enrollment?.advertise;
    if (host === undefined) {
      const { names, ips } = await serverHosts(context.paths);
      host = ips.find((ip) => ip !== '127.0.0.1' && ip !== '::1' && !ip.startsWith('fe80')) ?? names[0] ?? 'localhost';
    }
    const password = last(parsed, '--password') ?? DEFAULT_P12_PASSWORD;
    if (password === DEFAULT_P12_PASSWORD) io.stderr.write(`note: the .p12 password is the TAK default '${DEFAULT_P12_PASSWORD}'; --password sets your own\n`);
    const options: Parameters<typeof clientPackages>[2] = { name, host, port, password, days };
    const team = last(parsed, '--team');
    const role = last(parsed, '--role');
    if (team !== undefined) options.team = team;
    if (role !== undefined) options.role = role;
    const made = await clientPackages(context.paths, ca, options);
    const out = last(parsed, '--out') ?? process.cwd();
    const atak = join(out, `${name}-atak.zip`);
    const itak = join(out, `${name}-itak.zip`);
    writeFileAtomic(atak, made.atak, PRIVATE_MODE);
    writeFileAtomic(itak, made.itak, PRIVATE_MODE);
    io.stdout.write(`${atak}\n${itak}\n`);
    io.stderr.write(`certificate for ${name} until ${made.notAfter.toISOString()}, connecting to ${host}:${port}:ssl\n`);
    return EXIT_OK;
  } catch (error) {
    return failure('takd package', error, io, HELP);
  }
}
