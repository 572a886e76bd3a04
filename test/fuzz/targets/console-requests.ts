// The console's request bodies (daemon/console/requests.ts, api.ts): a JSON body made into
// a marker (POST /api/markers), a chat (POST /api/chat) or a CoT JSON event (POST
// /api/events), and the bbox query parameter. Only ApiError (CotDecodeError for CoT JSON)
// may be thrown; an event built from a request must encode as XML that decodes again to
// the same uid and type (takd sends it on to every output).
import { eventFromJson } from '../../../daemon/codec/json.js';
import { encodeXmlString } from '../../../daemon/codec/xml/encode.js';
import { XmlEventDecoder } from '../../../daemon/codec/xml/decode.js';
import { ApiError, chatEvent, markerEvent, parseBbox } from '../../../daemon/console/requests.js';
import type { CotEvent } from '../../../daemon/codec/event.js';
import { check, type FuzzTarget } from '../target.js';

const NOW = Date.UTC(2026, 0, 1);
const BOX = { uid: 'takd-box', callsign: 'BOX' };
const KNOWN = new Map([['ALPHA', 'ANDROID-alpha']]);
const xml = new XmlEventDecoder();

function expected(err: unknown, json: boolean): boolean {
  return err instanceof ApiError || (json && err instanceof Error && err.name === 'CotDecodeError');
}

export const target: FuzzTarget = {
  name: 'console-requests',
  sources: ['daemon/console/requests', 'daemon/codec/json'],
  dictionary: [
    '{', '}', '[', ']', ',', ':', '"', 'null', 'true', 'false', '0', '-1', '1e309', '90.0000001', '-180', '1.5', '"\\u0000"', '"\\ud800"', '"<&>"', '"\\n"',
    '"lat"', '"lon"', '"hae"', '"type"', '"sidc"', '"callsign"', '"remarks"', '"stale"', '"uid"', '"text"', '"room"', '"from"', '"__proto__"', '"constructor"',
    '"a-f-G-U-C"', '"SFGPUCI----"', '"2026-05-01T12:00:00Z"', '"ALPHA"', '"All Chat Rooms"', '"point"', '"detail"', '"how"', '"time"', '"start"',
  ],
  maxLength: 4096,
  fuzz(data) {
    if (data.length === 0) return;
    const kind = data[0]! % 4;
    const text = data.subarray(1).toString('utf8');
    if (kind === 3) {
      try {
        const box = parseBbox(text);
        check([box.west, box.south, box.east, box.north].every(Number.isFinite), 'a bbox with a non-finite edge');
      } catch (err) {
        check(err instanceof ApiError, `parseBbox threw ${err instanceof Error ? err.stack : String(err)}`);
      }
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      return; // answered 400 "is not JSON" before any of this runs
    }
    let event: CotEvent;
    try {
      if (kind === 0) event = markerEvent(value, NOW);
      else if (kind === 1) event = chatEvent(value, NOW, BOX, (callsign) => KNOWN.get(callsign));
      else event = eventFromJson(value);
    } catch (err) {
      check(expected(err, kind === 2), `threw ${err instanceof Error ? err.stack : String(err)}`);
      return;
    }
    const encoded = encodeXmlString(event);
    let back: CotEvent;
    try {
      back = xml.decode(encoded);
    } catch (err) {
      throw new Error(`an event from a request does not decode again: ${(err as Error).message}\n${encoded.slice(0, 500)}`, { cause: err });
    }
    check(back.uid === event.uid && back.type === event.type, `uid/type changed through XML: ${event.uid} ${event.type}`);
  },
};
