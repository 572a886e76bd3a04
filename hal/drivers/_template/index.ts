// The template driver: copy this folder to start a device family, then add one row to the
// table in hal/registry.ts. It is a working driver for a device that writes one position
// per line as `lat,lon` (decimal degrees), each of which becomes one CoT marker. Every slot
// of the Driver record (hal/contract.ts) is here, used or explained; hidden: true keeps it
// out of config and docs.
import type { CotEvent } from '../../../daemon/codec/event.js';
import { builtPoint, UNKNOWN_VALUE } from '../../../daemon/codec/event.js';
import type { CotContext, Decoder, Driver, DriverSettings } from '../../contract.js';
import { LineFramer } from '../../framers/lines.js';
import { plainInstance } from '../../open.js';
import { numberSetting, seconds, stringSetting } from '../settings.js';

/** What the decoder makes of one frame: a driver's message type (here, one position). */
export interface TemplatePosition {
  lat: number;
  lon: number;
}

/** Decodes a `lat,lon` line. Counts what it could not read, by reason; never throws. */
export class TemplateDecoder implements Decoder<string, TemplatePosition> {
  readonly counters = { positions: 0, malformed: 0, outOfRange: 0 };

  decode(frame: string, emit: (message: TemplatePosition) => void): void {
    const match = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(frame);
    if (match === null) {
      this.counters.malformed++;
      return;
    }
    const lat = Number(match[1]);
    const lon = Number(match[2]);
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      this.counters.outOfRange++;
      return;
    }
    this.counters.positions++;
    emit({ lat, lon });
  }

  /** Nothing is held across frames, so nothing is pending at end of input. */
  flush(): void {}
}

/** Settings → a toCot: what the driver's keys change (its own defaults applied here). */
function templateToCot(settings: DriverSettings): (message: TemplatePosition, context: CotContext) => CotEvent {
  const uid = stringSetting(settings, 'uid') ?? 'template-1';
  const staleMs = (numberSetting(settings, 'stale') ?? 60) * 1000;
  return (message, context) => ({
    uid,
    type: 'a-u-G',
    how: 'm-g',
    time: context.now,
    start: context.now,
    stale: context.now + staleMs,
    point: builtPoint({ lat: message.lat, lon: message.lon, hae: UNKNOWN_VALUE, ce: UNKNOWN_VALUE, le: UNKNOWN_VALUE }),
    contact: { callsign: uid },
  });
}

export const templateDriver: Driver<string, TemplatePosition> = {
  // `driver = …` in a [source.*] section; also the name in logs and `takd serial list`.
  name: '_template',
  // One line for `takd serial list`, the docs and `--help`.
  summary: 'template: `lat,lon` lines → one CoT marker (an example, not for use)',
  // Not offered to users: config refuses `driver = _template` and docs leave it out. A real
  // driver leaves this out.
  hidden: true,
  // 'cot': messages become CoT by themselves (toCot) and go to the router. 'fix': messages
  // are GnssFix epochs of the box's own position and go to the PLI reporter instead.
  produces: 'cot',
  // Link defaults where the URL does not say: serial speed, TCP port.
  defaults: { baud: 9600, port: 10110 },
  // defaultLink: 'tcp://127.0.0.1:10110' would make `link` optional (gpsd does this).
  // USB vendor/product ids that suggest this driver in `takd serial list` (none: generic chips).
  usb: [],
  // The driver's own [source.*] keys: typed, checked by the config loader, documented per
  // driver in docs/configuration.md, and refused in a section of any other driver.
  keys: [
    { key: 'uid', type: { kind: 'string', pattern: /^[\x21-\x7e]{1,64}$/, hint: 'printable ASCII without spaces' }, defaultText: 'template-1', doc: 'CoT uid of the marker' },
    { key: 'stale', type: seconds(10, 3600), defaultText: '60', doc: 'seconds until the marker goes stale' },
  ],
  // Bytes → frames. A shared framer with options (lines starting with a digit or '-', no
  // checksum, '#' comments); a new framing gets its own file in hal/framers/.
  framer: () => new LineFramer({ startChars: '-0123456789', restartOnStartChar: false, requireChecksum: false, commentChar: '#' }),
  // Frame → messages. A fresh decoder per source (and per decoded capture).
  decoder: () => new TemplateDecoder(),
  // Message → CoT with the default settings (capture decoding, tests).
  toCot: templateToCot({}),
  // onOpen: () => Buffer.from('START\r\n') would be written each time the link opens.
  // One source with its settings. Optional: without it the plain source runs with toCot
  // above. Here it is the plain source with a toCot made from the section's keys; a driver
  // with per-source state (a session, a timer) keeps it in the instance it returns, and an
  // outbound side (the instance's `outbound`) makes the source a router output.
  open(options) {
    const instance = plainInstance(templateDriver, options);
    instance.toCot = templateToCot(options.settings);
    return instance;
  },
  // givesOwnFix(settings): a 'cot' driver whose messages can be the box's own position
  // (AIS own ship); the instance's ownFix(message) then picks the fixes out.
  // takesOwnPli(settings): our own position reports go to this source (Meshtastic).
};
