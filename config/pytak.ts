/**
 * PyTAK's keys → takd settings. COT_URL becomes the output `output.cot_url`; COT_HOST_ID,
 * COT_STALE, DEBUG and MAX_IN_QUEUE set their takd key; the rest (TAK_PROTO, PYTAK_TLS_*,
 * PYTAK_MULTICAST_*, MAX_OUT_QUEUE, PYTAK_SLEEP, FTS_COMPAT, PYTAK_NO_HELLO) set that key on
 * every output. A PyTAK key wins over the takd key only from a higher layer (an environment
 * PYTAK_MULTICAST_TTL beats an INI ttl; an INI ttl beats an INI PYTAK_MULTICAST_TTL).
 */
import { rank, type Origin, type SectionValues, type Setting } from './origin.js';
import { SECTIONS, splitSectionId, type SectionSpec } from './schema.js';

const outputSpec = SECTIONS.find((s) => s.name === 'output') as SectionSpec;

function section(sections: Map<string, SectionValues>, id: string): SectionValues {
  let values = sections.get(id);
  if (values === undefined) sections.set(id, (values = new Map()));
  return values;
}

/** Sets `key` from a PyTAK setting unless the section already has it from an equal or higher layer. */
function offer(values: SectionValues, key: string, setting: Setting): void {
  const current = values.get(key);
  if (current === undefined || rank(setting.origin) > rank(current.origin)) values.set(key, setting);
}

/** Folds the [pytak] section (INI, or PyTAK's environment names) into the sections, in place. It cannot fail: values were parsed already. */
export function applyPytak(sections: Map<string, SectionValues>, sectionOrigins: Map<string, Origin>): void {
  const pytak = sections.get('pytak');
  if (pytak === undefined || pytak.size === 0) return;
  // PyTAK: a TAK_URL (tak:// link) takes the place of COT_URL.
  const cotUrl = pytak.get('tak_url') ?? pytak.get('cot_url');
  if (cotUrl !== undefined) {
    offer(section(sections, 'output.cot_url'), 'url', cotUrl);
    if (!sectionOrigins.has('output.cot_url')) sectionOrigins.set('output.cot_url', cotUrl.origin);
  }
  const prefPackage = pytak.get('pref_package');
  if (prefPackage !== undefined) {
    offer(section(sections, 'output.cot_url'), 'package', prefPackage);
    if (!sectionOrigins.has('output.cot_url')) sectionOrigins.set('output.cot_url', prefPackage.origin);
  }
  const direct: [string, string, string][] = [
    ['cot_host_id', 'takd', 'uid'],
    ['cot_stale', 'pli', 'stale'],
    ['max_in_queue', 'takd', 'max_in_queue'],
  ];
  for (const [from, id, key] of direct) {
    const setting = pytak.get(from);
    if (setting !== undefined) offer(section(sections, id), key, setting);
  }
  const debug = pytak.get('debug');
  if (debug?.value === true) offer(section(sections, 'log'), 'level', { value: 'debug', origin: debug.origin });

  const oldAddress = pytak.get('pytak_multicast_local_addr');
  if (oldAddress !== undefined && !pytak.has('pytak_multicast_local_addrs')) pytak.set('pytak_multicast_local_addrs', oldAddress);
  for (const [id, values] of sections) {
    if (splitSectionId(id).kind !== 'output') continue;
    for (const key of outputSpec.keys) {
      if (key.pytak === undefined) continue;
      const setting = pytak.get(key.pytak.toLowerCase());
      if (setting === undefined) continue;
      offer(values, key.key, key.pytakInverted ? { value: setting.value !== true, origin: setting.origin } : setting);
    }
  }
}
