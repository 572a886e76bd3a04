/** Where the box's PKI lives under `[pki] dir` (default /etc/takd/pki). No forge here. */
import { join } from 'node:path';

export const DEFAULT_PKI_DIR = '/etc/takd/pki';

export interface PkiPaths {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  /** Users, their token hashes and the certificates issued to them (0600). */
  users: string;
  /** Fingerprints of revoked certificates; every TLS listener of a running takd watches it. */
  revoked: string;
  /** QR codes (PNG, SVG) of enrollment links. */
  enrollDir: string;
}

export function pkiPaths(dir: string = DEFAULT_PKI_DIR): PkiPaths {
  return {
    dir,
    caCert: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    users: join(dir, 'users.json'),
    revoked: join(dir, 'revoked.json'),
    enrollDir: join(dir, 'enroll'),
  };
}
