/**
 * An output with `package = FILE.zip` (PyTAK's PREF_PACKAGE): at each start the package's
 * client certificate and truststore are opened in memory and written as PEM files 0600 under
 * `$STATE_DIRECTORY/import/OUTPUT/` (never /tmp, never beside the user's file, which is only
 * read), and the tls:// transport is built with them. A `ca` the user set wins over the
 * package's truststore.
 */
import { join } from 'node:path';
import type { TlsSettings } from '../transports/tls-options.js';
import { readSmallFile } from '../transports/small-file.js';
import { readConnectionPackage } from './connection-package.js';
import { extractCredentials } from './credentials.js';
import { stateDirectory, writePrivateFiles } from './files.js';

export async function packagedTls(file: string, outputId: string, tls: TlsSettings, env?: NodeJS.ProcessEnv): Promise<TlsSettings> {
  const pkg = readConnectionPackage(readSmallFile(file, 16 * 1024 * 1024));
  const credentials = await extractCredentials(pkg);
  if (credentials === undefined) return tls;
  const home = join(stateDirectory(env), 'import', outputId.replace(/[^A-Za-z0-9._-]/g, '_'));
  const files: Record<string, string> = { [join(home, 'client.key')]: credentials.key, [join(home, 'client.pem')]: credentials.certChain };
  if (credentials.ca !== undefined) files[join(home, 'ca.pem')] = credentials.ca;
  writePrivateFiles(files);
  const resolved: TlsSettings = { ...tls, cert: join(home, 'client.pem'), key: join(home, 'client.key') };
  if (tls.ca === undefined && credentials.ca !== undefined) resolved.ca = join(home, 'ca.pem');
  delete resolved.password;
  delete resolved.passwordFile;
  return resolved;
}
