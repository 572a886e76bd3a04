// `takd enroll URL`: a client certificate from a TAK server's enrollment port (8446), for
// the tak:// link a TAK Server, OpenTAKServer or `takd user add` hands out; prints the
// [output.NAME] section that connects with it.
import { hostname } from 'node:os';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './command.js';

const HELP = `Usage: takd enroll 'tak://com.atakmap.app/enroll?host=HOST&username=USER&token=TOKEN'
                   [--ca FILE] [--dont-verify] [--port 8446] [--dir DIR] [--uid UID] [--name NAME]

Gets this box a client certificate the way ATAK does when it scans the server's QR code:
GET https://HOST:8446/Marti/api/tls/config, a new RSA 3072 key and a CSR for CN=USER with
the server's name entries, POST …/tls/signClient/v2; the certificate, key and the CA chain
the server returns go to DIR/enroll/HOST-USER/ (cert.pem, key.pem, chain.pem; 0600).
The output section that connects with them (tls://HOST:8089, or the port in host=HOST:PORT)
is printed. A certificate stored there earlier is reused until 7 days before it expires.

The enrollment server is verified: against --ca FILE (PEM; a connection package's
truststore after 'takd import' is ca.pem), else the system's CAs. A server whose
certificate is not from that CA is refused and no file is touched. --dont-verify skips
the check (anyone on the path could take the token): warned, never the default.

The same happens at every start with  url = tak://…  in an [output.*] section (or
COT_URL / TAK_URL), so the link itself can live in the configuration.

  --ca FILE      CA (PEM) the server's certificate must chain to
  --dont-verify  accept any server certificate (warned)
  --port N       the enrollment port (default 8446)
  --dir DIR      where the files go (default $STATE_DIRECTORY, else /var/lib/takd)
  --uid UID      the clientUid the server records (default takd-HOSTNAME)
  --name NAME    the printed output's name (default takserver)

Exit status: 0 enrolled (or the stored certificate is still good), 1 refused (the reason
is printed: untrusted server, 401 wrong user or used token, a bad answer), 2 usage error.

Examples:
  takd enroll 'tak://com.atakmap.app/enroll?host=tak.example.org&username=truck7&token=…' \\
      --ca /etc/takd/tak-ca.pem >> /etc/takd/takd.ini
`;

const VALUE_FLAGS = new Set(['--ca', '--port', '--dir', '--uid', '--name']);

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  let url: string | undefined;
  let dontVerify = false;
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--dont-verify') dontVerify = true;
    else if (VALUE_FLAGS.has(arg) && args[i + 1] !== undefined) values.set(arg, args[++i] as string);
    else if (!arg.startsWith('-') && url === undefined) url = arg;
    else {
      io.stderr.write(`takd enroll: unknown or incomplete argument '${arg}'\n\n${HELP}`);
      return EXIT_USAGE;
    }
  }
  const { parseEnrollLink } = await import('../enroll/link.js');
  let link;
  try {
    if (url === undefined) throw new Error('which link? (takd enroll tak://com.atakmap.app/enroll?host=…&username=…&token=…)');
    link = parseEnrollLink(url);
  } catch (error) {
    io.stderr.write(`takd enroll: ${(error as Error).message.replace(/^url: /, '')}\n`);
    return EXIT_USAGE;
  }
  const port = values.has('--port') ? Number(values.get('--port')) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    io.stderr.write(`takd enroll: --port '${values.get('--port') ?? ''}' is not a port (1-65535)\n`);
    return EXIT_USAGE;
  }
  const name = values.get('--name') ?? 'takserver';
  const { enroll, EnrollError } = await import('../enroll/enroll.js');
  const { stateDirectory } = await import('../enroll/files.js');
  const { enrollmentOutput } = await import('../enroll/output.js');
  try {
    const result = await enroll({
      host: link.host,
      port,
      username: link.username,
      password: link.token,
      caFile: values.get('--ca'),
      dontVerify,
      dir: values.get('--dir') ?? stateDirectory(),
      clientUid: values.get('--uid') ?? `takd-${hostname()}`,
      warn: (message) => io.stderr.write(`takd enroll: WARNING: ${message}\n`),
    });
    io.stderr.write(`takd enroll: ${result.reused ? 'the stored certificate is still good' : 'enrolled'} (${result.cert}, valid until ${result.notAfter.toISOString()})\n`);
    const tls = enrollmentOutput(link, result, { ca: values.get('--ca'), dontVerify });
    const lines = [`[output.${name}]`, `url = ${tls.url}`, `cert = ${tls.cert}`, `key = ${tls.key}`, `ca = ${tls.ca}`];
    if (dontVerify) lines.push('dont_verify = true');
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof EnrollError) {
      io.stderr.write(`takd enroll: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}
