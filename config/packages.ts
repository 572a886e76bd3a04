/**
 * `[output.*] package = FILE.zip` (and PyTAK's PREF_PACKAGE, which sets it on output.cot_url):
 * a TAK connection package names the server. Its connectString0 becomes the output's url
 * when the section sets none; the PKCS#12 files are opened at start (daemon/enroll), not
 * here, so a configuration check reads no key and loads no forge. A package that is not
 * one, or is hostile, is a configuration problem naming the key and the reason.
 */
import type { Problem } from './errors.js';
import { problemPlace, type SectionValues } from './origin.js';
import { splitSectionId } from './schema.js';
import { readConnectionPackage } from '../daemon/enroll/connection-package.js';
import { readSmallFile } from '../daemon/transports/small-file.js';
import { parseTransportUrl } from '../daemon/transports/url.js';

/** Largest package file read (a connection package is a few KiB). */
export const PACKAGE_FILE_MAX_BYTES = 16 * 1024 * 1024;

/** Sets the url of each output with a package and no url; returns the problems. */
export function applyPackages(sections: Map<string, SectionValues>): Problem[] {
  const problems: Problem[] = [];
  for (const [id, values] of sections) {
    const pkg = values.get('package');
    if (splitSectionId(id).kind !== 'output' || pkg === undefined) continue;
    try {
      const { url } = readConnectionPackage(readSmallFile(String(pkg.value), PACKAGE_FILE_MAX_BYTES));
      parseTransportUrl(url);
      if (!values.has('url')) values.set('url', { value: url, origin: pkg.origin });
    } catch (error) {
      problems.push({ ...problemPlace(pkg.origin, 'package'), message: `${String(pkg.value)}: ${(error as Error).message}` });
    }
  }
  return problems;
}
