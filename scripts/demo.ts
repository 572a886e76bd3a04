// npm run demo: the CoT codec at work on events takd makes itself (a unit walking a loop),
// with nothing sent off the machine. Each position report goes through the real paths a
// TAK Server connection uses: XML on a byte stream cut into odd-sized pieces, the
// streaming decoder, TAK protocol v1 stream frames, and back to XML.
import type { CotEvent } from '../daemon/codec/event.js';
import { encodeProtoStream } from '../daemon/codec/proto/index.js';
import { CotStreamDecoder } from '../daemon/codec/stream.js';
import { encodeXmlString } from '../daemon/codec/xml/encode.js';

const START = { lat: 38.8895, lon: -77.0353 }; // the National Mall
const WALKING_SPEED = 1.4; // m/s
const RADIUS_M = 150;

function positionReport(second: number, now: number): CotEvent {
  const angle = (WALKING_SPEED * second) / RADIUS_M;
  const metresPerDegreeLat = 111_320;
  const metresPerDegreeLon = metresPerDegreeLat * Math.cos((START.lat * Math.PI) / 180);
  return {
    uid: 'takd-demo-ALPHA-1',
    type: 'a-f-G-U-C',
    how: 'm-g',
    time: now,
    start: now,
    stale: now + 75_000,
    point: {
      lat: START.lat + (RADIUS_M * Math.sin(angle)) / metresPerDegreeLat,
      lon: START.lon + (RADIUS_M * (1 - Math.cos(angle))) / metresPerDegreeLon,
      hae: 12.3,
      ce: 4.9,
      le: 9999999,
    },
    contact: { callsign: 'ALPHA-1', endpoint: '127.0.0.1:4242:tcp' },
    group: { name: 'Cyan', role: 'Team Member' },
    takv: { device: 'demo', platform: 'takd', os: process.platform, version: process.version },
    track: { speed: WALKING_SPEED, course: ((angle * 180) / Math.PI + 90) % 360 },
    precisionLocation: { geopointsrc: 'GPS', altsrc: 'GPS' },
    xmlDetail: `<remarks>takd demo: report ${second} of a walk around a ${RADIUS_M} m loop</remarks>`,
  };
}

const reports = Array.from({ length: 5 }, (_, second) => positionReport(second * 10, Date.now() + second * 10_000));
const xmlStream = Buffer.from(reports.map((e) => encodeXmlString(e)).join('\n'));

console.log(`takd demo — ${reports.length} position reports of a unit walking a loop (nothing leaves this machine)\n`);
console.log('One report as CoT XML (TAK protocol 0):\n');
console.log(encodeXmlString(reports[0], { declaration: false }), '\n');

// The stream arrives in pieces that cut events anywhere, as TCP does.
const decoded: CotEvent[] = [];
const decoder = new CotStreamDecoder({ onEvent: (e) => decoded.push(e), onError: (e) => console.error('error:', e.message) });
for (let at = 0; at < xmlStream.length; at += 97) decoder.push(xmlStream.subarray(at, at + 97));

const protoFrames = decoded.map((e) => encodeProtoStream(e));
const back: CotEvent[] = [];
const protoDecoder = new CotStreamDecoder({ onEvent: (e) => back.push(e), onError: (e) => console.error('error:', e.message) });
protoDecoder.setProtocol(1);
protoDecoder.push(Buffer.concat(protoFrames));

for (const event of back) {
  const p = event.point;
  console.log(
    `${new Date(event.time).toISOString()}  ${event.contact?.callsign}  lat ${p.lat.toFixed(7)} lon ${p.lon.toFixed(7)}  ` +
      `course ${event.track?.course.toFixed(1)}°  ${Buffer.byteLength(encodeXmlString(event))} B XML → ${protoFrames[back.indexOf(event)].length} B TAK v1`,
  );
}
const lossless = back.every((e, i) => encodeXmlString(e) === encodeXmlString(reports[i]));
console.log(`\nXML stream → events → TAK v1 stream → events → XML: ${lossless ? 'identical' : 'DIFFERENT'} for all ${back.length} reports.`);
console.log('Next: `takd cot convert --to json < events.xml`, and `npm test` for the full suite.');
process.exitCode = lossless ? 0 : 1;
