/**
 * What an enrolled output connects to: tls://HOST:8089 (or the link's port) with the stored
 * certificate and key, verifying the server against the CA the user gave, else the chain the
 * enrollment server returned (it came over a connection verified with the same rule).
 */
import { formatAddress } from '../transports/url.js';
import type { EnrollLink } from './link.js';
import type { Enrollment } from './enroll.js';

export const STREAMING_PORT = 8089;

export interface EnrolledOutput {
  url: string;
  host: string;
  port: number;
  cert: string;
  key: string;
  ca: string;
}

export function enrollmentOutput(link: Pick<EnrollLink, 'host' | 'port'>, enrollment: Enrollment, given: { ca?: string; dontVerify?: boolean }): EnrolledOutput {
  const port = link.port ?? STREAMING_PORT;
  return { url: `tls://${formatAddress(link.host, port)}`, host: link.host, port, cert: enrollment.cert, key: enrollment.key, ca: given.ca ?? enrollment.chain };
}
