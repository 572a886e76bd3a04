// `takd token [-c FILE] [--new]`: prints the bearer token the status HTTP endpoint asks for
// when bound off loopback (or with [status] require_token); creates it when missing.
import { defaultTokenFile, ensureToken } from '../console/access.js';
import { loadConfig } from '../../config/loader.js';
import { viewConfig } from '../../config/view.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './command.js';

const HELP = `Usage: takd token [-c FILE] [--new] [--file PATH]

Prints the bearer token of takd's HTTP endpoint ([status] http): the console page and
the REST API ask for it when the endpoint is bound off loopback, or when
[status] require_token = yes. Send it as  Authorization: Bearer TOKEN
(the page asks for it once and keeps it in the browser's session).

The token lives in [status] token_file (default $STATE_DIRECTORY/console.token, else
/var/lib/takd/console.token); it is created (mode 0600) when missing.

  -c FILE      read [status] token_file from this configuration
  --file PATH  use this token file
  --new        make a new token (the old one stops working at takd's next start)

Exit status: 0 printed, 1 the file cannot be read or written, 2 usage error.

Examples:
  takd token
  curl -H "Authorization: Bearer $(takd token)" http://10.0.0.2:8080/api/links
`;

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  let file: string | undefined;
  let config: string | undefined;
  let renew = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--new') renew = true;
    else if ((arg === '--file' || arg === '-c' || arg === '--config') && args[i + 1] !== undefined) {
      if (arg === '--file') file = args[++i];
      else config = args[++i];
    } else {
      io.stderr.write(`takd token: unknown or incomplete argument '${arg}'\n\n${HELP}`);
      return EXIT_USAGE;
    }
  }
  try {
    if (file === undefined && config !== undefined) file = viewConfig(loadConfig({ args: ['-c', config] }).config).status.tokenFile;
    file ??= defaultTokenFile();
    const { token, created } = ensureToken(file, renew);
    if (created) io.stderr.write(`takd token: wrote a new token to ${file}${renew ? ' (restart takd to use it)' : ''}\n`);
    io.stdout.write(`${token}\n`);
    return EXIT_OK;
  } catch (error) {
    io.stderr.write(`takd token: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
}
