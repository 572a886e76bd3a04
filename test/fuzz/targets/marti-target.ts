// The Marti request target (`/Marti/sync/content?hash=…`): parseTarget either throws
// TargetError or returns a path that starts with '/', has no '.', '..' or empty-slash
// tricks, no control characters, and at most 32 query parameters.
import { MAX_TARGET_LENGTH, parseTarget, TargetError } from '../../../daemon/marti/target.js';
import { check, type FuzzTarget } from '../target.js';

export const target: FuzzTarget = {
  name: 'marti-target',
  sources: ['daemon/marti/target'],
  dictionary: [
    '/Marti/sync/content', '/Marti/sync/search', '/Marti/sync/missionupload', '/Marti/api/version/config', '/Marti/vcm', '?hash=', '&filename=', '&keywords=', '?', '&', '=', '#', '+',
    '%2F', '%2e', '%2E%2E', '..', '.', '//', '%00', '%C3%A9', '%ED%A0%80', '%', '%G1', '%F0%9F%98%80', ' ', '\t', '\x7f', '\xe9',
  ],
  maxLength: MAX_TARGET_LENGTH + 64,
  fuzz(data) {
    const text = data.toString('latin1');
    let parsed;
    try {
      parsed = parseTarget(text);
    } catch (err) {
      check(err instanceof TargetError, `threw ${err instanceof Error ? err.stack : String(err)}`);
      check(err.reason !== 'target-too-long' || text.length > MAX_TARGET_LENGTH, 'too long under the limit');
      return;
    }
    check(text.length <= MAX_TARGET_LENGTH, 'a target over the limit was accepted');
    check(parsed.path.startsWith('/'), `path ${JSON.stringify(parsed.path)} is not absolute`);
    check(!parsed.path.split('/').some((s) => s === '..' || s === '.'), `path ${JSON.stringify(parsed.path)} has dot segments`);
    check(!/[\x00-\x1f\x7f]/.test(parsed.path), 'control characters in the path');
    check(parsed.query.size <= 32, `${parsed.query.size} query parameters`);
    for (const [name, value] of parsed.query) check(!/[\x00-\x1f\x7f]/.test(name + value), 'control characters in the query');
  },
};
