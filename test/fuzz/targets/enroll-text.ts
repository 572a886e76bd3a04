// What an enrollment server or a QR code hands takd as text: the tak:// link (a config
// value) and the tls/config answer. The link parser either returns a checked link or throws
// TransportConfigError without quoting the token; the name entries are bounded.
import { parseEnrollLink } from '../../../daemon/enroll/link.js';
import { parseNameEntries } from '../../../daemon/enroll/enroll.js';
import { TransportConfigError } from '../../../daemon/transports/errors.js';
import { check, type FuzzTarget } from '../target.js';

export const target: FuzzTarget = {
  name: 'enroll-text',
  sources: ['daemon/enroll/link', 'daemon/enroll/enroll', 'daemon/enroll/prefs'],
  dictionary: ['tak://com.atakmap.app/enroll?', 'host=', '&username=', '&token=', '[::1]', ':8089', '%20', '<ns2:nameEntry name="O" value="x"/>', '<nameEntry ', "value='", '&amp;', '&#x41;'],
  maxLength: 4096,
  fuzz(data) {
    const text = data.toString('utf8');
    try {
      const link = parseEnrollLink(text);
      check(link.host !== '' && link.username !== '' && link.token !== '', 'a parsed link has host, user and token');
      check(link.port === undefined || (link.port >= 1 && link.port <= 65535), `port ${link.port}`);
    } catch (error) {
      check(error instanceof TransportConfigError, `threw ${error instanceof Error ? error.stack : String(error)}`);
      const token = /[?&]token=([^&#]{6,})/.exec(text)?.[1];
      check(token === undefined || !error.message.includes(`token=${token}`), 'the message quotes the token');
    }
    const entries = parseNameEntries(text);
    check(entries.length <= 32 && entries.every((e) => e.name !== ''), 'name entries bounded and named');
  },
};
