// A connection package from a stranger (`takd import`, PREF_PACKAGE): the bounded zip
// reader, then the pref parser and connect string. Each either succeeds or throws
// ZipRefused / PackageError with a reason; members read never exceed the limits.
import { readConnectionPackage, PackageError } from '../../../daemon/enroll/connection-package.js';
import { PACKAGE_LIMITS, readZip, ZipRefused } from '../../../daemon/enroll/zip-reader.js';
import { parsePrefs } from '../../../daemon/enroll/prefs.js';
import { check, type FuzzTarget } from '../target.js';

const EXPECTED = (error: unknown): boolean => error instanceof ZipRefused || error instanceof PackageError;

export const target: FuzzTarget = {
  name: 'connection-package',
  sources: ['daemon/enroll/zip-reader', 'daemon/enroll/prefs', 'daemon/enroll/connection-package'],
  dictionary: ['PK\x03\x04', 'PK\x01\x02', 'PK\x05\x06', '.pref', '../', '<entry key="connectString0">', '</entry>', ':8089:ssl', '&amp;', 'certificateLocation0', 'clientPassword'],
  maxLength: 8192,
  fuzz(data) {
    try {
      let total = 0;
      for (const entry of readZip(data)) {
        try {
          const bytes = entry.read();
          check(bytes.length === entry.size && bytes.length <= PACKAGE_LIMITS.maxEntryBytes, `member ${entry.name} read ${bytes.length} bytes`);
          total += bytes.length;
        } catch (error) {
          check(error instanceof ZipRefused, `read threw ${error instanceof Error ? error.stack : String(error)}`);
        }
      }
      check(total <= PACKAGE_LIMITS.maxTotalBytes, 'total bounded');
      readConnectionPackage(data);
    } catch (error) {
      check(EXPECTED(error), `threw ${error instanceof Error ? error.stack : String(error)}`);
    }
    // The pref parser alone, on the raw bytes: never throws, bounded.
    check(parsePrefs(data.toString('utf8')).size <= 1000, 'prefs bounded');
  },
};
