// The enrollment server's parsers of untrusted input (daemon/pki): the CSR body (PEM, bare
// base64 or DER → a checked PKCS#10 request, or a CsrError with a reason), the Basic
// Authorization header, and the Accept header of signClient/v2. The first byte chooses the
// parser. Never another exception; results stay bounded.
import { CsrError, checkCsrWith } from '../../../daemon/pki/csr.js';
import { answerFormat, basicCredentials, cleanClientUid } from '../../../daemon/pki/enrollment-answers.js';
import { loadForge } from '../../../daemon/pki/forge.js';
import { check, type FuzzTarget } from '../target.js';

const forge = await loadForge();
const ENTRIES = [
  { name: 'O', value: 'takd' },
  { name: 'OU', value: 'fuzz' },
];
const REASONS = new Set(['too-large', 'not-pem-or-der', 'not-a-csr', 'bad-signature', 'bad-key', 'bad-subject', 'wrong-user']);

export const target: FuzzTarget = {
  name: 'enrollment',
  sources: ['daemon/pki/csr', 'daemon/pki/enrollment-answers'],
  extraFeedback: ['node-forge/lib/asn1.js', 'node-forge/lib/x509.js'],
  dictionary: ['-----BEGIN CERTIFICATE REQUEST-----', '-----END CERTIFICATE REQUEST-----', '-----BEGIN NEW CERTIFICATE REQUEST-----', 'Basic ', 'application/json', 'application/xml', '*/*', ';q=0.5', ',', ':', '=', '\n', Buffer.from([0x30, 0x82]), Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]), Buffer.from([0x31]), 'MII'],
  maxLength: 8192,
  fuzz(data) {
    if (data.length === 0) return;
    const mode = data[0] % 3;
    const body = data.subarray(1);
    if (mode === 0) {
      try {
        const checked = checkCsrWith(forge, body, 'fuzz', ENTRIES, 4096);
        // Whatever passed is exactly CN=fuzz plus the entries.
        check(checked.subject.length === 3, `accepted a subject of ${checked.subject.length} entries`);
        check(String(checked.subject.find((a) => a.shortName === 'CN')?.value).toLowerCase() === 'fuzz', 'accepted another CN');
      } catch (error) {
        check(error instanceof CsrError, `threw ${error instanceof Error ? error.stack : String(error)}`);
        check(REASONS.has(error.reason), `unknown reason ${error.reason}`);
        check(error.message.length < 400, 'the reason is bounded');
      }
      return;
    }
    const text = body.toString('latin1');
    if (mode === 1) {
      const credentials = basicCredentials(text);
      if (credentials !== undefined) {
        check(credentials.user.length > 0 && credentials.user.length <= 128 && credentials.password.length <= 256, 'credentials bounded');
        check(!/[\x00-\x1f\x7f]/.test(credentials.user + credentials.password), 'no control characters');
      }
      const uid = cleanClientUid(text);
      check(uid === undefined || (uid.length <= 128 && /^[\x21-\x7e]+$/.test(uid)), 'uid clean');
      return;
    }
    const format = answerFormat(text);
    check(format === undefined || format === 'json' || format === 'xml', `format ${String(format)}`);
  },
};
