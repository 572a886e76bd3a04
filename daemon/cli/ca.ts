// `takd ca init|server|show`: the box's own certificate authority and its server certificate.
import { ConfigError } from '../../config/errors.js';
import { initCa, readCa, serverHosts, writeServerCert, PkiMissingError } from '../pki/ca-store.js';
import { splitHosts, type NameEntry } from '../pki/x509.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './command.js';
import { last, parseArgs, pkiContext } from './pki-args.js';

const HELP = `Usage: takd ca init [-c FILE] [--name HOST …] [--ip ADDR …] [--org O] [--unit OU] [--force]
       takd ca server [-c FILE] --name HOST … --ip ADDR …
       takd ca show [-c FILE]

The box's own certificate authority, for its phones: 'init' makes the CA (RSA 3072, ten
years) and a server certificate for this box's host names and addresses, under [pki] dir
(default /etc/takd/pki): ca.pem, ca.key, server.pem (with the CA), server.key; keys are
0600. Nothing is ever made at takd's start: a TLS listener without them says to run this.
RSA, not EC: every ATAK/iTAK trust store reads it, and the PKCS#12 files phones import need it.

  -c FILE       the configuration whose [pki] dir to use (like takd run)
  --name HOST   a DNS name phones use for this box (repeatable; default: the host name,
                HOST.local, localhost)
  --ip ADDR     an address phones use (repeatable; default: every address of this machine)
  --org, --unit the CA's O and OU: every phone's certificate request must carry them
                (default O=takd, OU=the host name)
  --force       replace an existing CA (every certificate it issued stops working)

'server' issues a new server certificate (new key) for the names and addresses given;
the CA and the phones' certificates stay valid. Restart takd to use it (a SIGHUP keeps
listeners whose settings did not change, with the certificate they loaded).
'show' prints the CA's subject and the server certificate's names.

Then: tls+listen inputs use cert = DIR/server.pem, key = DIR/server.key, client_ca = DIR/ca.pem.

Examples:
  takd ca init
  takd ca server --name tak.local --ip 192.168.1.10 --ip 10.0.0.1
`;

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help') || args.length === 0) {
    io.stdout.write(HELP);
    return args.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  try {
    const parsed = parseArgs(args, ['--name', '--ip', '--org', '--unit'], ['--force']);
    const [action, ...extra] = parsed.positional;
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const context = pkiContext(parsed);
    const { paths } = context;
    const given = splitHosts([...(parsed.options.get('--name') ?? []), ...(parsed.options.get('--ip') ?? [])]);
    const hosts = { names: given.names, ips: given.ips };
    if (action === 'init') {
      const entries: NameEntry[] = [];
      const org = last(parsed, '--org');
      const unit = last(parsed, '--unit');
      if (org !== undefined || unit !== undefined) {
        if (org !== undefined) entries.push({ name: 'O', value: org });
        if (unit !== undefined) entries.push({ name: 'OU', value: unit });
      }
      const options: Parameters<typeof initCa>[1] = { force: parsed.options.has('--force') };
      if (entries.length > 0) options.entries = entries;
      if (hosts.names.length + hosts.ips.length > 0) Object.assign(options, hosts);
      const made = await initCa(paths, options);
      io.stdout.write(`CA ${made.ca.cert.subject.attributes.map((a) => `${a.shortName}=${String(a.value)}`).join(', ')}\n  ${paths.caCert}\n  ${paths.caKey} (0600)\n`);
      io.stdout.write(`server certificate for ${[...made.names, ...made.ips].join(', ')}\n  ${paths.serverCert}\n  ${paths.serverKey} (0600)\n`);
      io.stdout.write(`next: takd user add NAME   (and [enrollment] url = https+listen://0.0.0.0:8446)\n`);
      return EXIT_OK;
    }
    if (action === 'server') {
      if (hosts.names.length + hosts.ips.length === 0) throw new UsageError('give the names and addresses: --name HOST and/or --ip ADDR');
      const ca = await readCa(paths);
      await writeServerCert(paths, ca, hosts.names, hosts.ips);
      io.stdout.write(`server certificate for ${[...hosts.names, ...hosts.ips].join(', ')}\n  ${paths.serverCert}\n  ${paths.serverKey} (0600)\nrestart takd to use it\n`);
      return EXIT_OK;
    }
    if (action === 'show') {
      const ca = await readCa(paths);
      const server = await serverHosts(paths);
      io.stdout.write(`CA: ${ca.cert.subject.attributes.map((a) => `${a.shortName}=${String(a.value)}`).join(', ')} (until ${ca.cert.validity.notAfter.toISOString().slice(0, 10)})\n`);
      io.stdout.write(`server: ${[...server.names, ...server.ips].join(', ')} (until ${server.notAfter.toISOString().slice(0, 10)})\ndir: ${paths.dir}\n`);
      return EXIT_OK;
    }
    throw new UsageError(`unknown action '${action ?? ''}' (init, server, show)`);
  } catch (error) {
    return failure('takd ca', error, io, HELP);
  }
}

/** The exit status and message for an error of a PKI command. */
export function failure(command: string, error: unknown, io: CliIo, help: string): number {
  if (error instanceof UsageError) {
    io.stderr.write(`${command}: ${error.message}\n\n${help}`);
    return EXIT_USAGE;
  }
  if (error instanceof ConfigError) {
    io.stderr.write(`${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof PkiMissingError) {
    io.stderr.write(`${command}: ${error.message}\n`);
    return EXIT_FAILURE;
  }
  io.stderr.write(`${command}: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_FAILURE;
}
