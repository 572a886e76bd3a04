/**
 * Checks made before starting (and by `takd config check`): every file a key names is
 * readable, every serial device exists and can be opened, and files holding a private key or
 * password are not readable by other users. Problems name the key that named the file.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import type { Problem } from './errors.js';
import type { LoadedConfig } from './loader.js';
import { problemPlace } from './origin.js';
import { sectionSpec, splitSectionId } from './schema.js';

export interface PreflightResult {
  problems: Problem[];
  warnings: string[];
}

const SECRET_FILE_KEYS = new Set(['key', 'password_file', 'cert']);

function holdsSecret(key: string, path: string): boolean {
  if (key !== 'cert') return true;
  try {
    const bytes = readFileSync(path);
    // A .p12 (not PEM) always holds the key; a PEM only when it has a private key block.
    return !bytes.includes('-----BEGIN ') || /PRIVATE KEY-----/.test(bytes.toString('latin1'));
  } catch {
    return false;
  }
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
      if (key.type.kind === 'path' && key.key !== 'dir') {
        const code = readable(setting.value, constants.R_OK);
        if (code !== undefined) {
          result.problems.push({ ...problemPlace(setting.origin, key.key), message: `cannot read ${setting.value} (${code})` });
        } else if (SECRET_FILE_KEYS.has(key.key) && holdsSecret(key.key, setting.value) && (statSync(setting.value).mode & 0o004) !== 0) {
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
  const passwordInFile = [...config.sections.values()].some((values) => {
    const origin = values.get('password')?.origin ?? values.get('pytak_tls_client_password')?.origin;
    return origin?.layer === 'ini';
  });
  if (passwordInFile && config.file !== undefined && (statSync(config.file).mode & 0o004) !== 0) {
    result.warnings.push(`${config.file} holds a password and is readable by every user (chmod 640, or use password_file)`);
  }
  return result;
}
