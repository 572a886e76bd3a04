/**
 * Checks made before starting (and by `takd config check`): every file a key names is a
 * readable regular file of sane size, TLS material loads as the transports will load it
 * (PEM or PKCS#12, a TLS listener has a certificate), every serial device exists and can be
 * opened, and files holding a private key or password are not readable by other users.
 * Problems name the key that named the file.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { pkiPaths } from '../daemon/pki/paths.js';
import { pkiSettings } from '../daemon/pki/settings.js';
import { TransportConfigError } from '../daemon/transports/errors.js';
import { readSmallFile, SmallFileError } from '../daemon/transports/small-file.js';
import { loadTlsClientOptions, loadTlsServerOptions } from '../daemon/transports/tls-options.js';
import { martiTlsOptions } from '../daemon/marti/tls.js';
import { transportTls, type TransportSpec } from '../daemon/transports/url.js';
import type { Problem } from './errors.js';
import type { LoadedConfig } from './loader.js';
import { problemPlace } from './origin.js';
import { sectionSpec, splitSectionId } from './schema.js';
import { viewConfig, type TlsFiles } from './view.js';

export interface PreflightResult {
  problems: Problem[];
  warnings: string[];
}

const SECRET_FILE_KEYS = new Set(['key', 'password_file', 'cert']);

function holdsSecret(key: string, bytes: Buffer): boolean {
  if (key !== 'cert') return true;
  // A .p12 (not PEM) always holds the key; a PEM only when it has a private key block.
  return !bytes.includes('-----BEGIN ') || /PRIVATE KEY-----/.test(bytes.toString('latin1'));
}

/** The file's bytes, or why it cannot serve (missing, unreadable, not a regular file, too large). */
function readNamedFile(path: string): Buffer | string {
  try {
    return readSmallFile(path);
  } catch (error) {
    if (error instanceof SmallFileError) return error.message;
    throw error;
  }
}

/** [enrollment] serves with the box's CA: it must exist (takd never makes it at start). */
function enrollmentProblems(config: LoadedConfig): Problem[] {
  const values = config.sections.get('enrollment');
  if (values?.get('url')?.value === undefined || values.get('url')?.value === '') return [];
  const paths = pkiPaths(pkiSettings(config.sections.get('pki')).dir);
  const missing = [paths.caCert, paths.caKey, paths.serverCert, paths.serverKey].find((file) => !existsSync(file));
  if (missing === undefined) return [];
  const setting = values.get('url');
  const message = `enrollment needs the box's CA and server certificate, and ${missing} does not exist: run 'takd ca init${config.file === undefined ? '' : ` -c ${config.file}`}'`;
  return [setting === undefined ? { where: '[enrollment]', key: 'url', message } : { ...problemPlace(setting.origin, 'url'), message }];
}

/** A missing file in the box's PKI directory: the command that makes it. */
function pkiHint(config: LoadedConfig, path: string): string {
  const dir = resolve(pkiSettings(config.sections.get('pki')).dir);
  const file = resolve(path);
  if (dirname(file) !== dir || existsSync(file)) return '';
  if (/^(?:ca|server)\.(?:pem|key)$/.test(basename(file))) return `; run 'takd ca init${config.file === undefined ? '' : ` -c ${config.file}`}' to make the box's CA and server certificate in ${dir}`;
  return '';
}

function readable(path: string, mode: number): string | undefined {
  try {
    accessSync(path, mode);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
}

export function preflight(config: LoadedConfig): PreflightResult {
  const result: PreflightResult = { problems: [], warnings: [] };
  for (const [id, values] of config.sections) {
    const spec = sectionSpec(splitSectionId(id).kind);
    if (spec === undefined || spec.name === 'pytak') continue;
    if (spec.name === 'source' && values.get('enabled')?.value === false) continue;
    for (const key of spec.keys) {
      const setting = values.get(key.key);
      if (setting === undefined || typeof setting.value !== 'string') continue;
      // dir and token_file (the HTTP bearer token) are made by takd when missing.
      if (key.type.kind === 'path' && key.key !== 'dir' && key.key !== 'token_file') {
        const bytes = readNamedFile(setting.value);
        if (typeof bytes === 'string') {
          result.problems.push({ ...problemPlace(setting.origin, key.key), message: bytes + pkiHint(config, setting.value) });
        } else if (SECRET_FILE_KEYS.has(key.key) && holdsSecret(key.key, bytes) && (statSync(setting.value).mode & 0o004) !== 0) {
          result.warnings.push(`[${id}] ${key.key}: ${setting.value} holds a private key or password and is readable by every user (chmod 640, owner root:takd)`);
        }
      }
      if (key.type.kind === 'link-url' && setting.value.startsWith('serial:')) {
        const path = decodeURIComponent(new URL(setting.value).pathname);
        const code = readable(path, constants.R_OK | constants.W_OK);
        if (code !== undefined) {
          const advice = code === 'EACCES' ? '; add the takd user to the dialout group' : code === 'ENOENT' ? '; `takd serial list` shows the devices present' : '';
          result.problems.push({ ...problemPlace(setting.origin, key.key), message: `cannot open ${path} (${code}${advice})` });
        }
      }
    }
  }
  // TLS material as the transports load it, once every file it names could be read.
  if (result.problems.length === 0) result.problems.push(...tlsProblems(config));
  result.problems.push(...enrollmentProblems(config));
  const passwordInFile = [...config.sections.values()].some((values) => {
    const origin = values.get('password')?.origin ?? values.get('pytak_tls_client_password')?.origin;
    return origin?.layer === 'ini';
  });
  if (passwordInFile && config.file !== undefined && (statSync(config.file).mode & 0o004) !== 0) {
    result.warnings.push(`${config.file} holds a password and is readable by every user (chmod 640, or use password_file)`);
  }
  return result;
}

/** Loads each TLS input's and output's certificate, key and CA as `takd run` will, and says what fails where. */
function tlsProblems(config: LoadedConfig): Problem[] {
  const view = viewConfig(config);
  const problems: Problem[] = [];
  for (const { id, spec, tls } of [...view.inputs, ...view.outputs]) {
    const problem = tlsProblem(spec, tls);
    if (problem === undefined) continue;
    const setting = config.sections.get(id)?.get(problem.key) ?? config.sections.get(id)?.get('url');
    const message = problem.message.replace(new RegExp(`^${problem.key}: `), '');
    problems.push(setting === undefined ? { where: `[${id}]`, key: problem.key, message } : { ...problemPlace(setting.origin, problem.key), message });
  }
  if (view.status.http !== undefined && view.status.tls !== undefined) {
    try {
      loadTlsServerOptions(view.status.tls);
    } catch (error) {
      if (!(error instanceof TransportConfigError)) throw error;
      const setting = config.sections.get('status')?.get(error.key) ?? config.sections.get('status')?.get('client_ca');
      const message = error.message.replace(new RegExp(`^${error.key}: `), '');
      problems.push(setting === undefined ? { where: '[status]', key: error.key, message } : { ...problemPlace(setting.origin, error.key), message });
    }
  }
  if (view.marti?.listen.scheme === 'https') {
    try {
      martiTlsOptions(view.marti);
    } catch (error) {
      if (!(error instanceof TransportConfigError)) throw error;
      const setting = config.sections.get('marti')?.get(error.key) ?? config.sections.get('marti')?.get('url');
      const message = error.message.replace(new RegExp(`^${error.key}: `), '');
      problems.push(setting === undefined ? { where: '[marti]', key: error.key, message } : { ...problemPlace(setting.origin, error.key), message });
    }
  }
  return problems;
}

function tlsProblem(spec: TransportSpec, tls: TlsFiles): TransportConfigError | undefined {
  try {
    const side = transportTls(spec);
    if (side === 'server') loadTlsServerOptions(tls);
    else if (side === 'client') loadTlsClientOptions(tls, 'host' in spec ? spec.host : '');
    return undefined;
  } catch (error) {
    if (error instanceof TransportConfigError) return error;
    throw error;
  }
}
