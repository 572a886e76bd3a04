// `takd user add|list|revoke`: who may enroll with the box's CA, and who no longer gets in.
import { existsSync } from 'node:fs';
import { serverHosts } from '../pki/ca-store.js';
import { enrollmentLink, terminalQr, writeQrFiles } from '../pki/qr.js';
import { readRevoked, UserDb, writeRevoked } from '../pki/users.js';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './command.js';
import { failure } from './ca.js';
import { last, parseArgs, pkiContext, type PkiContext } from './pki-args.js';

const HELP = `Usage: takd user add NAME [-c FILE] [--team COLOUR] [--role ROLE] [--hours H] [--host HOST] [--no-qr]
       takd user list [-c FILE]
       takd user revoke NAME [-c FILE]

'add' makes a one-time enrollment token for NAME (valid [pki] token_hours, default 24 h)
and prints the link ATAK and iTAK scan,
  tak://com.atakmap.app/enroll?host=HOST&username=NAME&token=TOKEN
with its QR code; the QR code is also written as PNG and SVG under [pki] dir/enroll/.
The phone then enrolls on [enrollment] url (port 8446) and gets a certificate for NAME
(extended key usage clientAuth, [pki] client_days). The token works once; 'add' again
makes a new one (and lifts a revocation). The token is stored only as its SHA-256.

'revoke' refuses NAME's certificates on every TLS port of the running takd (hub
tls+listen and wss+listen, the data-package server, enrollment) from then on, and closes
NAME's live connections within a second: takd watches [pki] dir/revoked.json.

  -c FILE        the configuration whose [pki] and [enrollment] to use (like takd run)
  --team COLOUR  the team the phone's profile gets (Cyan, Blue, …)
  --role ROLE    its role (Team Member, Team Lead, HQ, …)
  --hours H      the token's lifetime (default: [pki] token_hours)
  --host HOST    the host in the link (default: [enrollment] advertise, else the server
                 certificate's first address off loopback, else its first name)
  --no-qr        do not print the QR code (the files are still written)

Examples:
  takd user add alice --team Cyan --role "Team Member"
  takd user revoke alice
`;

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help') || args.length === 0) {
    io.stdout.write(HELP);
    return args.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  try {
    const parsed = parseArgs(args, ['--team', '--role', '--hours', '--host'], ['--no-qr']);
    const [action, name, ...extra] = parsed.positional;
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const context = pkiContext(parsed);
    if (!existsSync(context.paths.caCert)) throw new Error(`no CA in ${context.paths.dir}: run 'takd ca init' first`);
    if (action === 'list') return list(context, io);
    if (name === undefined) throw new UsageError(`'${action ?? ''}' needs a user NAME`);
    if (action === 'add') {
      const hoursText = last(parsed, '--hours');
      const hours = hoursText === undefined ? context.settings.tokenHours : Number(hoursText);
      if (!Number.isFinite(hours) || hours <= 0 || hours > 8760) throw new UsageError('--hours takes a number of hours (up to 8760)');
      const options: { team?: string; role?: string; tokenHours: number } = { tokenHours: hours };
      const team = last(parsed, '--team');
      const role = last(parsed, '--role');
      if (team !== undefined) options.team = team;
      if (role !== undefined) options.role = role;
      const { token, expires } = UserDb.update(context.paths, (db) => {
        const made = db.add(name, options);
        return { token: made, expires: db.get(name)?.token?.expiresAt ?? '' };
      });
      const host = last(parsed, '--host') ?? context.enrollment?.advertise ?? (await linkHost(context));
      const link = enrollmentLink(host, name, token);
      const files = await writeQrFiles(context.paths.enrollDir, name, link);
      if (!parsed.options.has('--no-qr')) io.stdout.write(await terminalQr(link));
      io.stdout.write(`${link}\n`);
      io.stderr.write(`user ${name}: token valid once, until ${expires}; QR code in ${files.png} and ${files.svg}\n`);
      if (context.enrollment === undefined) io.stderr.write('note: [enrollment] url is not set: the phone needs takd to serve https+listen://0.0.0.0:8446\n');
      return EXIT_OK;
    }
    if (action === 'revoke') {
      const certs = UserDb.update(context.paths, (db) => {
        const revoked = db.revoke(name);
        writeRevoked(context.paths, db.revokedEntries(readRevoked(context.paths)));
        return revoked;
      });
      io.stdout.write(`revoked ${name}: ${certs.length} certificate(s) refused from now on; a running takd closes their connections\n`);
      return EXIT_OK;
    }
    throw new UsageError(`unknown action '${action ?? ''}' (add, list, revoke)`);
  } catch (error) {
    return failure('takd user', error, io, HELP);
  }
}

function list(context: PkiContext, io: CliIo): number {
  const db = UserDb.load(context.paths);
  const now = Date.now();
  const rows = db.all().map((u) => {
    const state = u.revokedAt !== undefined ? `revoked ${u.revokedAt}` : u.token !== undefined ? (Date.parse(u.token.expiresAt) > now ? `token until ${u.token.expiresAt}` : 'token expired') : 'enrolled';
    const newest = u.certs.at(-1);
    return [u.name, u.team ?? '', u.role ?? '', state, String(u.certs.length), newest === undefined ? '' : `until ${newest.notAfter}`];
  });
  const header = ['NAME', 'TEAM', 'ROLE', 'STATE', 'CERTS', 'NEWEST'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) io.stdout.write(`${row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}\n`);
  return EXIT_OK;
}

/** The server certificate's first address off loopback, else its first name. */
async function linkHost(context: PkiContext): Promise<string> {
  const { names, ips } = await serverHosts(context.paths);
  return ips.find((ip) => ip !== '127.0.0.1' && ip !== '::1' && !ip.startsWith('fe80')) ?? names[0] ?? ips[0] ?? 'localhost';
}
